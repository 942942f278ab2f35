// Structured JSON logs (pino). Secrets never reach a log line: callers log ids and messages, not inputs.
import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * A JSON logger at `level` (`silent` for tests).
 *
 * @example const logger = createLogger('info'); logger.info({ port }, 'listening');
 */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { service: 'server' }, redact: ['req.headers.cookie', 'req.headers.authorization'] });
}
