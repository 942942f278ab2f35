// A one-shot Redis PING for the ready check: connect, AUTH and SELECT as the URL says, PING, close. Plain RESP over a
// socket (the server does not depend on ioredis, which the indexer's BullMQ queue uses).
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** Why a ping failed, in words safe to show (no host, password or stack). */
export type RedisPingResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Pings the Redis server at `url` (redis:// or rediss://, optional user, password and database number), giving up
 * after `timeoutMs`. Never throws; the socket is always closed.
 *
 * @example const answer = await pingRedis('redis://127.0.0.1:6379', 1000); if (!answer.ok) console.log(answer.reason);
 */
export async function pingRedis(url: string, timeoutMs: number): Promise<RedisPingResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, reason: 'REDIS_URL is not a URL' };
  }
  if (target.protocol !== 'redis:' && target.protocol !== 'rediss:') {
    return { ok: false, reason: 'REDIS_URL is not a redis:// or rediss:// URL' };
  }
  const commands: string[][] = [];
  const password = decodeURIComponent(target.password);
  const user = decodeURIComponent(target.username);
  if (password !== '') commands.push(user === '' ? ['AUTH', password] : ['AUTH', user, password]);
  const database = target.pathname.replace(/^\//, '');
  if (/^\d+$/.test(database) && database !== '0') commands.push(['SELECT', database]);
  commands.push(['PING']);

  const host = target.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(target.port || 6379);
  const socket: Socket =
    target.protocol === 'rediss:' ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
  return new Promise<RedisPingResult>((resolve) => {
    let buffer = '';
    let answered = 0;
    const finish = (result: RedisPingResult) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish({ ok: false, reason: error.code === 'ECONNREFUSED' ? 'connection refused' : 'connection failed' }),
    );
    socket.once('close', () => finish({ ok: false, reason: 'connection closed before the answer' }));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const command = commands[answered]?.[0] ?? 'PING';
        answered += 1;
        if (line.startsWith('-')) {
          finish({ ok: false, reason: command === 'AUTH' ? 'authentication failed' : `${command} refused` });
          return;
        }
        if (answered === commands.length) {
          finish(line === '+PONG' ? { ok: true } : { ok: false, reason: 'unexpected answer to PING' });
          return;
        }
      }
    });
    socket.write(commands.map(encodeCommand).join(''));
  });
}

/** A command as a RESP array of bulk strings. */
function encodeCommand(parts: readonly string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
}
