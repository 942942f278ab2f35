// A small HTTP/1.1 load generator: keep-alive connections, one request in flight on each, raw sockets so the client
// costs far less than the server it measures.
import { connect, type Socket } from 'node:net';

/** One load run: GET `paths` (in turn, round robin) against `url` over `connections` sockets for `seconds`. */
export interface LoadOptions {
  readonly url: string;
  readonly paths: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}

/** What a load run measured. */
export interface LoadResult {
  readonly seconds: number;
  /** Every request's latency in ms, in completion order. */
  readonly latencies: number[];
  /** Responses that were not 200. */
  readonly errors: number;
}

/** Throughput and latency over one or more runs of the same load. */
export interface LoadSummary {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/**
 * Sums runs: requests over their total time, latency percentiles over every request of every run.
 *
 * @example const { rps, p99Ms } = summarize([await runLoad(a), await runLoad(b)]);
 */
export function summarize(runs: readonly LoadResult[]): LoadSummary {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * Runs the load and measures every request's time from write to its last byte.
 *
 * @example const { rps } = summarize([await runLoad({ url, paths: ['/v1/health'], connections: 32, seconds: 5 })]);
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { hostname, port } = new URL(options.url);
  const requests = options.paths.map((path) =>
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\n\r\n`),
  );
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let stopping = false;
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();

  const drive = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      let pending: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const fire = () => {
        if (stopping || performance.now() >= deadline) {
          stopping = true;
          socket.end();
          resolve();
          return;
        }
        sentAt = performance.now();
        socket.write(requests[next++ % requests.length] as Buffer);
      };
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const body = responseEnd(pending);
        if (body === null) return;
        latencies.push(performance.now() - sentAt);
        const status = pending.toString('latin1', 9, 12);
        if (status !== '200') errors++;
        pending = pending.subarray(body.end);
        fire();
      });
      socket.on('error', reject);
      fire();
    });

  const sockets = await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: hostname, port: Number(port), noDelay: true }, () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
  await Promise.all(sockets.map(drive));
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.destroy();
  return { seconds, latencies, errors };
}

/** Where the first complete response in `data` ends, or null when it is not complete yet. */
function responseEnd(data: Buffer): { end: number } | null {
  const head = data.indexOf(CRLF2);
  if (head < 0) return null;
  const headers = data.toString('latin1', 0, head).toLowerCase();
  const start = head + 4;
  const length = /\r\ncontent-length: *(\d+)/.exec(headers);
  if (length) {
    const end = start + Number(length[1]);
    return data.length >= end ? { end } : null;
  }
  if (!headers.includes('\r\ntransfer-encoding: chunked')) throw new Error('a response without a length');
  // Chunked: walk the chunks to the zero-size one and its trailing CRLF.
  let at = start;
  for (;;) {
    const line = data.indexOf('\r\n', at, 'latin1');
    if (line < 0) return null;
    const size = Number.parseInt(data.toString('latin1', at, line), 16);
    at = line + 2 + size + 2;
    if (data.length < at) return null;
    if (size === 0) return { end: at };
  }
}
