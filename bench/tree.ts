// bench:tree: a 1,000,000-leaf V4 tree, against the raw cost of its keccak calls and against OpenZeppelin's builder.
import { Worker } from 'node:worker_threads';
import {
  buildGlobalRootTree,
  type GlobalLeaves,
  type GlobalRootTree,
  globalV4LeafHash,
  verifyProof,
} from '@attention-oracle/core';
import { createParallelTreeBuilder } from '@attention-oracle/core/node';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { peakRssMb, progress, report, secondsSince } from './lib/report.js';

const LEAVES = 1_000_000;
const OZ_LEAVES = 100_000;
const THREADS = 2;
const mint = new Uint8Array(32).fill(7);

/** Random wallets (xorshift, fixed seed) and totals, in no particular order, as a ledger would hand them over. */
function randomLeaves(count: number, seed: number): GlobalLeaves {
  const wallets = new Uint8Array(count * 32);
  const words = new Uint32Array(wallets.buffer);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  const amounts = new Uint8Array(count * 8);
  const view = new DataView(amounts.buffer);
  for (let i = 0; i < count; i++) view.setBigUint64(i * 8, BigInt(1 + ((i * 7919) % 1_000_000)) * 1_000_000_000n, true);
  return { version: 'v4', wallets, amounts };
}

/** Hashes `count` inputs of `stride` bytes from shared memory on THREADS workers; returns seconds. */
async function rawHash(workers: Worker[], input: Uint8Array, stride: number, count: number) {
  const out = new Uint8Array(new SharedArrayBuffer(count * 32));
  const start = performance.now();
  const share = Math.ceil(count / workers.length);
  await Promise.all(
    workers.map(
      (worker, w) =>
        new Promise<void>((resolve) => {
          worker.once('message', () => resolve());
          worker.postMessage({ input, stride, from: w * share, to: Math.min(count, (w + 1) * share), out });
        }),
    ),
  );
  return secondsSince(start);
}

async function main() {
  const builder = await createParallelTreeBuilder({ threads: THREADS });
  const leaves = randomLeaves(LEAVES, 42);

  progress(`building a ${LEAVES.toLocaleString()}-leaf V4 tree on ${THREADS} threads (3 runs, median)`);
  const runs: number[] = [];
  let rssMb = 0;
  let tree: GlobalRootTree | undefined;
  for (let run = 0; run < 3; run++) {
    tree = undefined;
    globalThis.gc?.(); // each run starts from a clean heap, so RSS shows one build, not three
    const start = performance.now();
    tree = await buildGlobalRootTree({ mint, rootSeq: 1n, leaves }, builder);
    runs.push(secondsSince(start));
    progress(`  run ${run + 1}: ${runs[run]?.toFixed(3)} s`);
    // Worker threads free the shared buffers of earlier builds only when they next collect garbage, which no flag
    // can force from here, so the peak of the first build is the figure that stands for one build.
    if (run === 0) rssMb = peakRssMb();
  }
  if (!tree) throw new Error('no tree built');
  const build1m = [...runs].sort((a, b) => a - b)[1] as number;

  progress('proofs by wallet and their verification');
  const probes = 100_000;
  const picks = Array.from({ length: probes }, (_, i) => tree.entry((i * 104729) % LEAVES).wallet);
  let start = performance.now();
  const proofs = picks.map((wallet) => tree.proofForWallet(wallet));
  const proofUs = (secondsSince(start) * 1e6) / probes;
  const verifyCount = 10_000;
  start = performance.now();
  for (let i = 0; i < verifyCount; i++) {
    const found = proofs[i];
    if (!found) throw new Error('wallet without proof');
    const leaf = globalV4LeafHash(mint, 1n, found.entry.wallet, found.entry.cumulativeTotal);
    if (!verifyProof(leaf, found.proof, tree.root)) throw new Error('proof failed to verify');
  }
  const verifyUs = (secondsSince(start) * 1e6) / verifyCount;

  progress('raw keccak baseline: the same calls on the same hasher and threads, with no tree around them');
  const workers = await Promise.all(
    Array.from({ length: THREADS }, async () => {
      // Plain JS importing the built package: no source condition, no TypeScript loader.
      const worker = new Worker(new URL('./raw-hash-worker.mjs', import.meta.url), { execArgv: [] });
      await new Promise((resolve) => worker.once('message', resolve));
      return worker;
    }),
  );
  const preimages = new Uint8Array(new SharedArrayBuffer(LEAVES * 95));
  const template = new Uint8Array(95);
  template.set(new TextEncoder().encode('TWZRD:GLOBAL_V4'));
  template.set(mint, 15);
  template[47] = 1;
  for (let i = 0; i < LEAVES; i++) {
    template.set(tree.leaves.wallets.subarray(i * 32, i * 32 + 32), 55);
    template.set(tree.leaves.amounts.subarray(i * 8, i * 8 + 8), 87);
    preimages.set(template, i * 95);
  }
  const parents = tree.merkle.layout.totalNodes - LEAVES;
  const pairs = new Uint8Array(new SharedArrayBuffer(parents * 64));
  pairs.set(tree.merkle.nodes.subarray(0, parents * 64));
  const rawRuns: number[] = [];
  for (let run = 0; run < 3; run++) {
    rawRuns.push((await rawHash(workers, preimages, 95, LEAVES)) + (await rawHash(workers, pairs, 64, parents)));
  }
  const raw = [...rawRuns].sort((a, b) => a - b)[1] as number;
  await Promise.all(workers.map((worker) => worker.terminate()));
  progress(`  ${(LEAVES + parents).toLocaleString()} keccak calls: ${raw.toFixed(3)} s`);

  progress(`OpenZeppelin StandardMerkleTree.of on ${OZ_LEAVES.toLocaleString()} leaves, then this builder on the same`);
  const small = {
    version: 'v4' as const,
    wallets: tree.leaves.wallets.slice(0, OZ_LEAVES * 32),
    amounts: tree.leaves.amounts.slice(0, OZ_LEAVES * 8),
  };
  const values = Array.from({ length: OZ_LEAVES }, (_, i) => [
    `0x${Buffer.from(small.wallets.subarray(i * 32, i * 32 + 32)).toString('hex')}`,
    new DataView(small.amounts.buffer).getBigUint64(i * 8, true).toString(),
  ]);
  start = performance.now();
  StandardMerkleTree.of(values, ['bytes32', 'uint64']);
  const ozSeconds = secondsSince(start);
  const oursRuns: number[] = [];
  for (let run = 0; run < 3; run++) {
    start = performance.now();
    await buildGlobalRootTree({ mint, rootSeq: 1n, leaves: small }, builder);
    oursRuns.push(secondsSince(start));
  }
  const ours100k = [...oursRuns].sort((a, b) => a - b)[1] as number;
  progress(`  OpenZeppelin ${ozSeconds.toFixed(2)} s, this builder ${ours100k.toFixed(3)} s`);
  await builder.close();

  report(
    'tree',
    {
      build_1m_s: build1m.toFixed(3),
      ratio_to_raw_hash: (build1m / raw).toFixed(3),
      speedup_vs_oz_100k: (ozSeconds / ours100k).toFixed(1),
      proof_us: proofUs.toFixed(2),
      verify_us: verifyUs.toFixed(1),
      rss_mb: rssMb,
    },
    [
      `build: buildGlobalRootTree on ${LEAVES.toLocaleString()} V4 leaves in random wallet order (sort, leaf hashing, all levels) with the parallel builder on ${THREADS} worker threads, median of 3; the worker pool is started once, before timing.`,
      `raw hash: the same ${(LEAVES + tree.merkle.layout.totalNodes - LEAVES).toLocaleString()} keccak calls (95-byte leaf preimages, 64-byte pairs) through the same hash-wasm hasher on ${THREADS} worker threads, nothing else; median of 3 (${raw.toFixed(3)} s).`,
      `OpenZeppelin: StandardMerkleTree.of with ['bytes32','uint64'] on the first ${OZ_LEAVES.toLocaleString()} leaves took ${ozSeconds.toFixed(2)} s; this builder on the same leaves ${ours100k.toFixed(3)} s (median of 3).`,
      'proof: proofForWallet (binary search + 20 siblings) for 100,000 wallets; verify: leaf hash + verifyProof with @noble/hashes, the path the SDK uses in browsers.',
      'rss: peak resident set size of the process (main thread and workers) after the first 1M build, input included.',
    ],
  );
}

await main();
