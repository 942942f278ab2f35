// bench:api's server process: the API server on a database (no chain) and a plain node:http baseline, driven over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics } from 'node:v8';
import { base58Decode } from '@attention-oracle/core';
import { openDatabase } from '@attention-oracle/db';
import { createLogger, loadServerEnv, startServer } from '../../packages/server/src/index.js';

/** What the bench process sends: `rss` asks for the resident set size now (after a full GC). */
export type ApiServerRequest = { type: 'rss' } | { type: 'stop' };

/** What this process sends back. */
export type ApiServerMessage =
  | ({ type: 'ready'; apiUrl: string; plainUrl: string; loadMs: number } & Memory)
  | ({ type: 'rss' } & Memory);

/**
 * The server process's memory, in MB: resident now and at its peak, the V8 heap (reserved and used), and memory
 * outside it (of which array buffers: the trees).
 */
export interface Memory {
  rssMb: number;
  peakRssMb: number;
  heapMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** The V8 heap's spaces, reserved MB each (e.g. `new 16, old 60`): which one grew under load. */
  spaces: string;
  /** Resident MB and the V8 heap's reserved MB after four more full GCs (V8 compacts and frees pages over several). */
  settledRssMb: number;
  settledHeapMb: number;
}

// The fixed body of the plain baseline: about the size of a proof answer.
const PLAIN_BODY = JSON.stringify({ ok: true, padding: 'x'.repeat(1400) });

const mb = (bytes: number) => Math.round(bytes / 1_048_576);
const send = (message: ApiServerMessage) => process.send?.(message);
const rss = (): Memory => {
  globalThis.gc?.();
  const memory = process.memoryUsage();
  return {
    rssMb: mb(memory.rss),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    heapMb: mb(memory.heapTotal),
    heapUsedMb: mb(memory.heapUsed),
    externalMb: mb(memory.external),
    arrayBuffersMb: mb(memory.arrayBuffers),
    spaces: getHeapSpaceStatistics()
      .filter((space) => space.space_size >= 1_048_576)
      .map((space) => `${space.space_name.replace(/_space$/, '').replaceAll('_', ' ')} ${mb(space.space_size)}`)
      .join(', '),
    ...settled(),
  };
};

const settled = () => {
  for (let i = 0; i < 4; i++) globalThis.gc?.();
  const memory = process.memoryUsage();
  return { settledRssMb: mb(memory.rss), settledHeapMb: mb(memory.heapTotal) };
};

async function main() {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const mint = process.env.BENCH_MINT;
  if (!databaseUrl || !mint) throw new Error('BENCH_DATABASE_URL and BENCH_MINT are required');
  const db = await openDatabase({ databaseUrl, migrate: false });
  const env = loadServerEnv({ DATA_DIR: process.env.BENCH_DATA_DIR ?? '/tmp', LOG_LEVEL: 'silent' });
  const started = performance.now();
  const api = await startServer({
    db,
    env,
    chain: null,
    mint: base58Decode(mint),
    port: 0,
    logger: createLogger('silent'),
  });
  const loadMs = performance.now() - started;
  const plain = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(PLAIN_BODY);
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  // Never outlive the bench process.
  process.on('disconnect', () => process.exit(1));
  process.on('message', (request: ApiServerRequest) => {
    if (request.type === 'rss') send({ type: 'rss', ...rss() });
    else {
      plain.closeAllConnections();
      plain.close();
      api
        .close()
        .then(() => db.close())
        .then(() => process.exit(0));
    }
  });
  send({ type: 'ready', apiUrl: api.url, plainUrl, loadMs, ...rss() });
}

await main();
