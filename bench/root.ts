// bench:root: the totals of 1,000,000 wallets from the ledger to a stored tree artifact and dataset, on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGlobalRootTree } from '@attention-oracle/core';
import { createParallelTreeBuilder } from '@attention-oracle/core/node';
import { ATTENTION_ORACLE_PROGRAM_ID, createRpcClient } from '@attention-oracle/sdk';
import { Keypair } from '@solana/web3.js';
import { sql } from '../packages/db/src/index.js';
import { createTestPostgres } from '../packages/db/src/testing.js';
import { startLocalChain } from '../packages/indexer/src/chain/index.js';
import { readWalletTotals } from '../packages/indexer/src/ledger/totals.js';
import { type BuildRootResult, buildRoot } from '../packages/indexer/src/roots/build.js';
import { peakRssMb, progress, report, secondsSince } from './lib/report.js';

const WALLETS = 1_000_000;
const RUNS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  const { handle: db, drop } = await createTestPostgres();
  const chainDir = mkdtempSync(join(tmpdir(), 'bench-root-chain-'));
  const chain = await startLocalChain({ dataDir: chainDir, bootstrap: false, warn: () => {} });
  const builder = await createParallelTreeBuilder();
  try {
    progress(`filling wallet_totals with ${WALLETS.toLocaleString()} random wallets (generate_series)`);
    const setup = performance.now();
    // Wallets from two md5s of the row number (distinct, in no order); totals from 1,000 to ~10^9 base units.
    await db.query(sql`
      insert into wallet_totals (wallet, total)
      select decode(md5(g::text) || md5((g + 1000000007)::text), 'hex'), (1 + (hashint4(g)::bigint & 1048575)) * 1000
      from generate_series(1, ${WALLETS}::int) as g`);
    await db.query(sql`analyze wallet_totals`);
    progress(`setup took ${secondsSince(setup).toFixed(1)} s`);

    const client = createRpcClient({ urls: [chain.url] });
    const mint = Keypair.generate().publicKey;
    const options = { client, mint, programId: ATTENTION_ORACLE_PROGRAM_ID, leafVersion: 'v4' as const, builder };

    progress(`baseline: reading the totals alone, and building the tree alone from them (${RUNS} runs each, median)`);
    const reads: number[] = [];
    const trees: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let start = performance.now();
      const snapshot = await readWalletTotals(db, { leafVersion: 'v4', rootSeq: 1n });
      reads.push(secondsSince(start));
      if (snapshot.leaves === null) throw new Error('no leaves read');
      start = performance.now();
      await buildGlobalRootTree({ mint: mint.toBytes(), rootSeq: 1n, leaves: snapshot.leaves }, builder);
      trees.push(secondsSince(start));
    }
    progress(`  read ${median(reads).toFixed(3)} s, tree ${median(trees).toFixed(3)} s`);

    progress(`buildRoot end to end (${RUNS} runs, median; the roots are removed between runs)`);
    const runs: Extract<BuildRootResult, { built: true }>[] = [];
    for (let run = 0; run < RUNS; run++) {
      await db.query(sql`truncate roots, root_blobs`);
      globalThis.gc?.();
      const result = await buildRoot(db, options);
      if (!result.built) throw new Error(`not built: ${result.skipped}`);
      if (result.wallets !== WALLETS) throw new Error(`built ${result.wallets} wallets, expected ${WALLETS}`);
      runs.push(result);
      const ms = result.ms;
      progress(
        `  run ${run + 1}: ${(ms.total / 1000).toFixed(3)} s (read ${(ms.read / 1000).toFixed(3)}, tree ${(ms.tree / 1000).toFixed(3)}, encode ${(ms.encode / 1000).toFixed(3)}, store ${(ms.store / 1000).toFixed(3)})`,
      );
    }
    const pick = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f)) / 1000;
    const [first] = runs;
    if (!first) throw new Error('no run');
    const [stored] = await db.query<{ artifact: string; dataset: string }>(sql`
      select sum(length(data)) filter (where kind = 'artifact')::text as artifact,
        sum(length(data)) filter (where kind = 'dataset')::text as dataset from root_blobs`);
    const artifactMb = Number(stored?.artifact ?? 0) / 1_048_576;
    const datasetMb = Number(stored?.dataset ?? 0) / 1_048_576;
    const seconds = pick((r) => r.ms.total);

    report(
      'root',
      {
        wallets: WALLETS,
        seconds: seconds.toFixed(2),
        artifact_mb: artifactMb.toFixed(1),
        read_s: pick((r) => r.ms.read).toFixed(2),
        tree_s: pick((r) => r.ms.tree).toFixed(2),
        encode_s: pick((r) => r.ms.encode).toFixed(2),
        store_s: pick((r) => r.ms.store).toFixed(2),
        baseline_read_s: median(reads).toFixed(2),
        baseline_tree_s: median(trees).toFixed(2),
      },
      [
        `buildRoot on PostgreSQL (a fresh database from createTestPostgres) against the local chain (no program, so seq 1): from reading the totals to the tree artifact and dataset stored, median of ${RUNS}. Phases: read (${WALLETS.toLocaleString()} wallet_totals rows in 100,000-row keyset pages in one repeatable-read transaction), tree (parallel builder, ${builder.threads} threads), encode (dataset file, its keccak256, gzip and the artifact), store (one transaction: the roots row, the blobs in 8 MiB parts, retention).`,
        `stored: artifact ${artifactMb.toFixed(1)} MiB, dataset ${datasetMb.toFixed(1)} MiB gzipped (${(first.datasetBytes / 1_048_576).toFixed(1)} MiB plain).`,
        `baseline: the same read alone ${median(reads).toFixed(2)} s, the same tree build alone ${median(trees).toFixed(2)} s (median of ${RUNS}); peak rss ${peakRssMb()} MB.`,
      ],
    );
  } finally {
    await builder.close();
    await chain.stop();
    rmSync(chainDir, { recursive: true, force: true });
    await drop();
  }
}

await main();
