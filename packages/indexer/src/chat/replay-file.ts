// The replay file format, one line per chat line: `<unix ms>\t<raw IRC line>`, blank lines and `#` comments allowed.
// Read as a stream, so a file of any size plays in constant memory.
import { createReadStream } from 'node:fs';

/** One timed line of a replay file. */
export interface ReplayLine {
  /** When the line was received, unix milliseconds. */
  at: number;
  /** The raw IRC line. */
  raw: string;
}

const TIMED = /^([0-9]{1,16})\t(.+)$/s;

/**
 * Parses one line of a replay file: a timed line, 'skip' for a blank line or a comment, 'malformed' otherwise
 * (no tab, a timestamp that is not a non-negative integer, nothing after the tab).
 *
 * @example parseReplayLine('1700000000000\tPING :tmi.twitch.tv') // { at: 1700000000000, raw: 'PING :tmi.twitch.tv' }
 */
export function parseReplayLine(text: string): ReplayLine | 'skip' | 'malformed' {
  if (text.trim() === '' || text.trimStart().startsWith('#')) return 'skip';
  const match = TIMED.exec(text);
  if (match === null) return 'malformed';
  const at = Number(match[1]);
  return Number.isSafeInteger(at) ? { at, raw: match[2] as string } : 'malformed';
}

/** Yielded in place of a line longer than the limit (the line itself is skipped without being buffered). */
export const LINE_TOO_LONG = Symbol('line too long');

/**
 * The lines of a UTF-8 file, without their LF or CR LF, read in chunks with backpressure. A line longer than
 * `maxLineLength` characters yields {@link LINE_TOO_LONG} instead. Aborting `signal` ends the iteration.
 */
export async function* readLines(
  path: string,
  signal: AbortSignal,
  maxLineLength = 1 << 20,
): AsyncGenerator<string | typeof LINE_TOO_LONG> {
  if (signal.aborted) return;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  const onAbort = () => stream.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  let carry = '';
  let skipping = false;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
        const line = carry + chunk.slice(start, newline);
        carry = '';
        start = newline + 1;
        if (skipping) skipping = false;
        else yield line.length > maxLineLength ? LINE_TOO_LONG : stripCr(line);
      }
      if (!skipping) carry += chunk.slice(start);
      if (carry.length > maxLineLength) {
        carry = '';
        skipping = true;
        yield LINE_TOO_LONG;
      }
    }
    if (!skipping && carry !== '') yield stripCr(carry);
  } finally {
    signal.removeEventListener('abort', onAbort);
    stream.destroy();
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
