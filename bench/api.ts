// bench:api: proofs of random wallets from four servable 1,000,000-wallet trees, through tRPC and the plain route,
// against a trivial tRPC query and a plain node:http handler on the same machine at the same concurrency.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  base58Encode,
  buildGlobalRootTree,
  datasetHash,
  encodeDataset,
  type GlobalRootTree,
} from '@attention-oracle/core';
import { createParallelTreeBuilder } from '@attention-oracle/core/node';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import { writeRootBlob } from '../packages/indexer/src/roots/root-blobs.js';
import type { ApiServerMessage, ApiServerRequest } from './lib/api-server.js';
import { type LoadResult, type LoadSummary, runLoad, summarize } from './lib/http-load.js';
import { progress, report } from './lib/report.js';

const WALLETS = 1_000_000;
const ROOTS = 4;
const CONNECTIONS = 32;
const WARMUP_S = Number(process.env.BENCH_API_WARMUP_S ?? 2);
/** Each phase runs this many times, in turn with the others, so that a noisy moment on the machine hits them all. */
const ROUNDS = 4;
const ROUND_S = Number(process.env.BENCH_API_ROUND_S ?? 2.5);
/** Distinct (root, wallet) requests cycled through in each proof phase. */
const SAMPLE = 50_000;

/** Stores `tree` as root `seq` with its artifact, as the tree-build job does (the dataset blob is not needed). */
async function storeTree(db: DatabaseHandle, tree: GlobalRootTree, dataset: Uint8Array, total: bigint) {
  const [row] = await db.query<{ id: string }>(sql`insert into roots (mint, seq, leaf_version, root, dataset_hash,
      wallets, total, ledger_mark, status, publish_slot, published_at, finalized)
    values (${tree.mint}, ${tree.rootSeq.toString()}::bigint, 'v4', ${tree.root}, ${await datasetHash(dataset)},
      ${tree.count}::int, ${total.toString()}::numeric, 'bench', 'published', ${(1000n * tree.rootSeq).toString()}::bigint,
      now(), true)
    returning id::text as id`);
  await writeRootBlob(db.query, Number(row?.id), 'artifact', await tree.dump());
}

/** Four roots over the same wallets, totals growing from root to root (as cumulative totals do). */
async function seed(db: DatabaseHandle, mint: Uint8Array) {
  const builder = await createParallelTreeBuilder();
  const wallets = new Uint8Array(randomBytes(WALLETS * 32));
  const samples: { wallet: string; seq: bigint; proof: string[] }[] = [];
  try {
    for (let seq = 1n; seq <= BigInt(ROOTS); seq++) {
      const amounts = new Uint8Array(WALLETS * 8);
      const view = new DataView(amounts.buffer);
      let total = 0n;
      for (let i = 0; i < WALLETS; i++) {
        const amount = BigInt(1000 + ((i * 7919) % 1_000_000)) * 1000n * seq;
        view.setBigUint64(i * 8, amount, true);
        total += amount;
      }
      const input = { mint, rootSeq: seq, leaves: { version: 'v4' as const, wallets, amounts } };
      const tree = await buildGlobalRootTree(input, builder);
      await storeTree(db, tree, encodeDataset({ ...input, leaves: tree.leaves }), total);
      for (let k = 0; k < SAMPLE / ROOTS; k++) {
        const index = randomInt(WALLETS);
        const found = tree.proofForWallet(tree.entry(index).wallet);
        if (found === null) throw new Error('a stored wallet has no proof');
        samples.push({
          wallet: base58Encode(found.entry.wallet),
          seq,
          proof: found.proof.map((p) => Buffer.from(p).toString('hex')),
        });
      }
      progress(`  root ${seq} stored`);
    }
  } finally {
    await builder.close();
  }
  // Shuffled, so consecutive requests hit different roots and wallets.
  for (let i = samples.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [samples[i], samples[j]] = [samples[j] as (typeof samples)[number], samples[i] as (typeof samples)[number]];
  }
  return samples;
}

function startServerProcess(env: Record<string, string>): Promise<{
  child: ChildProcess;
  ready: Extract<ApiServerMessage, { type: 'ready' }>;
}> {
  const profile = process.env.BENCH_API_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_CPU_PROF}`]
    : [];
  const child = fork(new URL('./lib/api-server.ts', import.meta.url), {
    execArgv: ['--expose-gc', '--conditions=@attention-oracle/source', '--import', 'tsx', ...profile],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
    child.once('message', (message: ApiServerMessage) => {
      if (message.type === 'ready') resolve({ child, ready: message });
    });
  });
}

function ask(child: ChildProcess, request: ApiServerRequest): Promise<ApiServerMessage> {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(request);
  });
}

/**
 * Checks one answer of each proof route against the tree built here, and that the plain route's body is byte for
 * byte the JSON of the tRPC answer (the plain route writes its JSON by hand).
 */
async function checkAnswers(apiUrl: string, sample: { wallet: string; seq: bigint; proof: string[] }) {
  const input = encodeURIComponent(JSON.stringify({ wallet: sample.wallet, seq: sample.seq.toString() }));
  const trpc = (await (await fetch(`${apiUrl}/trpc/proofs.get?input=${input}`)).json()) as {
    result?: { data?: { proof?: string[] } };
  };
  const plainText = await (await fetch(`${apiUrl}/v1/proofs/${sample.seq}/${sample.wallet}`)).text();
  const plain = JSON.parse(plainText) as { proof?: string[] };
  for (const [via, proof] of [
    ['tRPC', trpc.result?.data?.proof],
    ['plain', plain.proof],
  ] as const) {
    if (JSON.stringify(proof) !== JSON.stringify(sample.proof)) throw new Error(`the ${via} proof is wrong: ${proof}`);
  }
  if (plainText !== JSON.stringify(trpc.result?.data)) {
    throw new Error(`the plain body differs from the tRPC answer: ${plainText}`);
  }
}

/** Runs every phase once to warm up, then ROUNDS times in turn; fails on any response that is not 200. */
async function measure<Name extends string>(
  phases: Record<Name, { url: string; paths: readonly string[] }>,
): Promise<Record<Name, LoadSummary>> {
  const names = Object.keys(phases) as Name[];
  const runs = new Map(names.map((name) => [name, [] as LoadResult[]]));
  for (let round = -1; round < ROUNDS; round++) {
    for (const name of names) {
      const { url, paths } = phases[name];
      const run = await runLoad({ url, paths, connections: CONNECTIONS, seconds: round < 0 ? WARMUP_S : ROUND_S });
      if (run.errors > 0) throw new Error(`${name}: ${run.errors} responses were not 200`);
      if (round >= 0) runs.get(name)?.push(run);
    }
  }
  const summaries = {} as Record<Name, LoadSummary>;
  for (const [name, list] of runs) {
    const summary = summarize(list);
    summaries[name] = summary;
    progress(
      `  ${name}: ${summary.rps.toFixed(0)} req/s, p50 ${summary.p50Ms.toFixed(2)} ms, p99 ${summary.p99Ms.toFixed(2)} ms (${summary.requests} requests)`,
    );
  }
  return summaries;
}

async function main() {
  const database = await createTestPostgres();
  const dataDir = mkdtempSync(join(tmpdir(), 'ao-bench-api-'));
  const mint = new Uint8Array(randomBytes(32));
  let server: ChildProcess | undefined;
  try {
    progress(`seeding ${ROOTS} published roots of ${WALLETS.toLocaleString()} wallets (trees built and stored)`);
    const samples = await seed(database.handle, mint);
    globalThis.gc?.();

    progress('starting the server process (loads the four trees)');
    const started = await startServerProcess({
      BENCH_DATABASE_URL: database.url,
      BENCH_MINT: base58Encode(mint),
      BENCH_DATA_DIR: dataDir,
    });
    server = started.child;
    const { apiUrl, plainUrl, loadMs } = started.ready;
    progress(`  loaded in ${(loadMs / 1000).toFixed(2)} s; rss ${started.ready.rssMb} MB`);
    await checkAnswers(apiUrl, samples[0] as (typeof samples)[number]);

    const trpcPaths = samples.map(
      (s) =>
        `/trpc/proofs.get?input=${encodeURIComponent(JSON.stringify({ wallet: s.wallet, seq: s.seq.toString() }))}`,
    );
    const plainPaths = samples.map((s) => `/v1/proofs/${s.seq}/${s.wallet}`);
    progress(
      `load: ${CONNECTIONS} keep-alive connections; ${WARMUP_S} s warm-up, then ${ROUNDS} rounds of ${ROUND_S} s per phase`,
    );
    const { plain, trivial, proofTrpc, proofHttp } = await measure({
      plain: { url: plainUrl, paths: ['/'] },
      trivial: { url: apiUrl, paths: ['/trpc/health.live'] },
      proofTrpc: { url: apiUrl, paths: trpcPaths },
      proofHttp: { url: apiUrl, paths: plainPaths },
    });
    const memory = await ask(server, { type: 'rss' });
    const rssMb = memory.rssMb;

    report(
      'api',
      {
        proof_trpc_rps: Math.round(proofTrpc.rps),
        ratio_to_trpc_trivial: (proofTrpc.rps / trivial.rps).toFixed(3),
        proof_http_rps: Math.round(proofHttp.rps),
        ratio_to_plain_http: (proofHttp.rps / plain.rps).toFixed(3),
        p99_ms: proofTrpc.p99Ms.toFixed(2),
        p99_ratio_to_trpc_trivial: (proofTrpc.p99Ms / trivial.p99Ms).toFixed(3),
        rss_mb: rssMb,
      },
      [
        `server: startServer (no chain) in its own process on a fresh PostgreSQL database holding ${ROOTS} published roots of ${WALLETS.toLocaleString()} wallets each (the same random wallets, growing totals); the proof cache loaded their artifacts in ${(loadMs / 1000).toFixed(2)} s.`,
        `load: a raw-socket HTTP/1.1 client in the bench process, ${CONNECTIONS} keep-alive connections with one request in flight each; every phase warmed up ${WARMUP_S} s, then the four phases run in turn ${ROUNDS} times for ${ROUND_S} s each (${ROUNDS * ROUND_S} s per phase, interleaved so that other load on the machine hits every phase alike); proof requests cycle through ${SAMPLE.toLocaleString()} random (root, wallet) pairs over the four roots; every response must be 200, and one proof per route is checked against the tree.`,
        `tRPC proofs.get ${proofTrpc.rps.toFixed(0)} req/s (p50 ${proofTrpc.p50Ms.toFixed(2)} ms, p99 ${proofTrpc.p99Ms.toFixed(2)} ms) against tRPC health.live on the same server ${trivial.rps.toFixed(0)} req/s (p50 ${trivial.p50Ms.toFixed(2)} ms, p99 ${trivial.p99Ms.toFixed(2)} ms).`,
        `GET /v1/proofs/<seq>/<wallet> ${proofHttp.rps.toFixed(0)} req/s (p99 ${proofHttp.p99Ms.toFixed(2)} ms) against a plain node:http handler in the server process returning a fixed JSON body of about the same size ${plain.rps.toFixed(0)} req/s (p99 ${plain.p99Ms.toFixed(2)} ms).`,
        `rss: the server process after the phases (after a full GC), four trees loaded: V8 heap ${memory.heapMb} MB reserved (${memory.heapUsedMb} MB used; spaces: ${memory.spaces}), outside the heap ${memory.externalMb} MB (array buffers ${memory.arrayBuffersMb} MB: the trees); after four more full GCs rss ${memory.settledRssMb} MB, heap ${memory.settledHeapMb} MB reserved; its peak rss ${memory.peakRssMb} MB; right after loading rss ${started.ready.rssMb} MB, heap ${started.ready.heapMb} MB (${started.ready.heapUsedMb} MB used; spaces: ${started.ready.spaces}), array buffers ${started.ready.arrayBuffersMb} MB.`,
        'trees: artifact format 2 (no leaf level): a loaded tree holds wallets, amounts and the levels above the leaves (72 MB per 1,000,000 V4 wallets instead of 104 MB) and re-hashes the one sibling leaf a proof needs; the plain route writes its JSON from a per-root head cached with the tree (checked above to equal the tRPC answer byte for byte).',
        `machine load: load average ${loadavg()
          .map((load) => load.toFixed(1))
          .join(' / ')} (1/5/15 min) at the end of the run, on ${cpus().length} cores shared with other work.`,
      ],
    );
  } finally {
    if (server !== undefined) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.send({ type: 'stop' } satisfies ApiServerRequest);
      await exited;
    }
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
