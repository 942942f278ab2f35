// tree-build: the ledger's totals -> the leaves of seq = the chain's latest + 1 -> tree artifact and dataset, stored.
import {
  buildGlobalRootTree,
  datasetHash,
  encodeDataset,
  InvalidArgumentError,
  type LeafVersion,
  type TreeBuilder,
} from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import type { GlobalRootConfig, RpcClient } from '@attention-oracle/sdk';
import type { PublicKey } from '@solana/web3.js';
import { ledgerMark, readWalletTotals } from '../ledger/totals.js';
import { readGlobalRootConfig } from './chain-state.js';
import { chainHolds, findPublishSignature } from './landed.js';
import { phaseProgress, type RootProgress } from './progress.js';
import { applyBlobRetention, compressDataset, writeRootBlob } from './root-blobs.js';
import { markRootPublished, type RootRecord, selectRoots } from './root-rows.js';

/** Options of {@link buildRoot}. */
export interface BuildRootOptions {
  readonly client: Pick<RpcClient, 'call'>;
  readonly mint: PublicKey;
  readonly programId: PublicKey;
  readonly leafVersion: LeafVersion;
  /** The parallel builder from `@attention-oracle/core/node` for large trees; default in-thread. */
  readonly builder?: TreeBuilder;
  readonly onProgress?: RootProgress;
  /** A millisecond clock for the timings (default performance.now). */
  readonly now?: () => number;
}

/** Milliseconds spent per phase of a build. */
export interface BuildTimings {
  readonly read: number;
  readonly tree: number;
  readonly encode: number;
  readonly store: number;
  readonly total: number;
}

/** What {@link buildRoot} did. */
export type BuildRootResult =
  | {
      readonly built: true;
      readonly rootId: number;
      readonly seq: bigint;
      readonly root: Uint8Array;
      readonly datasetHash: Uint8Array;
      readonly wallets: number;
      readonly total: bigint;
      readonly artifactBytes: number;
      readonly datasetBytes: number;
      /** The stored (gzipped) dataset's size. */
      readonly storedDatasetBytes: number;
      /** Roots this build replaced before they were published. */
      readonly superseded: number[];
      readonly ms: BuildTimings;
    }
  | {
      readonly built: false;
      /** Why nothing was built, in words. */
      readonly skipped: string;
      /** The seq a build would have had. */
      readonly seq: bigint;
      /** The root that made the build unnecessary, when there is one. */
      readonly rootId: number | null;
    };

/** Skip reasons, for callers that branch on them. */
export const SKIP_AWAITING_PUBLISH = 'a root is awaiting publish';
export const SKIP_NOTHING_CHANGED = 'nothing changed';
export const SKIP_NO_WALLETS = 'no wallet has a positive total';

/** Serializes builds of all mints: two builders must not replace each other's root. */
const BUILD_LOCK_KEY = 7_426_010;

/**
 * Builds the next root of `mint`, unless one is already waiting to be published or nothing changed since the last.
 * seq is always the chain's latest_root_seq + 1 (0 when the global root does not exist). The leaves, tree artifact
 * and dataset (gzipped) are stored in one transaction that also replaces earlier unpublished roots and applies
 * artifact retention. Never holds a transaction across an RPC call.
 *
 * @example
 * const result = await buildRoot(db, { client, mint, programId, leafVersion: 'v4', builder });
 * if (result.built) await queue.add('root-publish', jobId.publish(result.seq, result.rootId), { rootId: result.rootId });
 */
export async function buildRoot(db: DatabaseHandle, options: BuildRootOptions): Promise<BuildRootResult> {
  const { client, programId, leafVersion, onProgress } = options;
  if (leafVersion !== 'v4' && leafVersion !== 'v5') {
    throw new InvalidArgumentError(`leaf version must be "v4" or "v5", got ${String(leafVersion)}`);
  }
  const mint = options.mint.toBytes();
  const now = options.now ?? (() => performance.now());
  phaseProgress(onProgress, 'chain')(0, 1);
  const config = await readGlobalRootConfig(client, { programId, mint: options.mint });
  const latest = config?.latestRootSeq ?? 0n;
  const seq = latest + 1n;
  phaseProgress(onProgress, 'chain')(1, 1);

  const inFlight = await selectRoots(db.query, sql`mint = ${mint} and status in ('built', 'awaiting-signature')`);
  for (const row of inFlight) {
    if (row.seq === seq) return { built: false, skipped: SKIP_AWAITING_PUBLISH, seq, rootId: row.id };
    // It can no longer be published at its seq; it may have been, though (the publish job or an external signer got
    // there before its status was written).
    await recordIfLanded(db.query, client, config, row);
  }

  const mark = await ledgerMark(db.query, leafVersion, seq);
  const [newest] = await selectRoots(db.query, sql`mint = ${mint} and status in ('published', 'unpublished', 'alarm')`);
  if (newest && newest.ledgerMark === mark && unchanged(newest, seq, config)) {
    return { built: false, skipped: SKIP_NOTHING_CHANGED, seq, rootId: newest.id };
  }

  const started = now();
  const snapshot = await readWalletTotals(db, {
    leafVersion,
    rootSeq: seq,
    onProgress: phaseProgress(onProgress, 'read-totals'),
  });
  if (snapshot.leaves === null) return { built: false, skipped: SKIP_NO_WALLETS, seq, rootId: null };
  const read = now();
  phaseProgress(onProgress, 'build-tree')(0, snapshot.count);
  const tree = await buildGlobalRootTree({ mint, rootSeq: seq, leaves: snapshot.leaves }, options.builder);
  phaseProgress(onProgress, 'build-tree')(snapshot.count, snapshot.count);
  const built = now();
  const dataset = encodeDataset(tree);
  const [stored, hash, artifact] = await Promise.all([compressDataset(dataset), datasetHash(dataset), tree.dump()]);
  const encoded = now();

  const storeTick = phaseProgress(onProgress, 'store');
  storeTick(0, artifact.length + stored.length);
  const outcome = await db.transaction(async (query) => {
    await query(sql`select pg_advisory_xact_lock(${BUILD_LOCK_KEY}::bigint)`);
    // Another builder may have stored a root for this seq since the check above.
    const [rival] = await selectRoots(
      query,
      sql`mint = ${mint} and status in ('built', 'awaiting-signature') and seq = ${seq.toString()}::bigint`,
    );
    if (rival) return { rootId: rival.id, superseded: null };
    // Unpublished roots are replaced; in-flight ones left here can no longer be published at their seq.
    const replaced = await query<{ id: string }>(sql`
      update roots set status = 'superseded', reason = ${`replaced by a build for seq ${seq}`}
      where mint = ${mint} and status in ('built', 'awaiting-signature', 'unpublished', 'alarm')
      returning id::text as id`);
    const [row] = await query<{ id: string }>(sql`
      insert into roots (mint, seq, leaf_version, root, dataset_hash, wallets, total, ledger_mark, status, build_ms)
      values (${mint}, ${seq.toString()}::bigint, ${leafVersion}, ${tree.root}, ${hash}, ${snapshot.count},
        ${snapshot.total.toString()}::numeric, ${snapshot.ledgerMark}, 'built', ${Math.round(encoded - started)})
      returning id::text as id`);
    const rootId = Number(row?.id);
    await writeRootBlob(query, rootId, 'artifact', artifact);
    storeTick(artifact.length, artifact.length + stored.length);
    await writeRootBlob(query, rootId, 'dataset', stored);
    await applyBlobRetention(query, mint);
    return { rootId, superseded: replaced.map((r) => Number(r.id)) };
  });
  if (outcome.superseded === null) {
    return { built: false, skipped: SKIP_AWAITING_PUBLISH, seq, rootId: outcome.rootId };
  }
  storeTick(artifact.length + stored.length, artifact.length + stored.length);
  const done = now();
  return {
    built: true,
    rootId: outcome.rootId,
    seq,
    root: tree.root,
    datasetHash: hash,
    wallets: snapshot.count,
    total: snapshot.total,
    artifactBytes: artifact.length,
    datasetBytes: dataset.length,
    storedDatasetBytes: stored.length,
    superseded: outcome.superseded,
    ms: {
      read: read - started,
      tree: built - read,
      encode: encoded - built,
      store: done - encoded,
      total: done - started,
    },
  };
}

/** Whether `newest` (same ledger mark) still stands for what a build now would make. */
function unchanged(newest: RootRecord, seq: bigint, config: GlobalRootConfig | null): boolean {
  if (newest.status === 'published') return true;
  // An alarmed root is retried by the publish job (an operator may import what it waits for); rebuilding the same
  // leaves would only replace it.
  if (newest.status === 'alarm') return newest.seq === seq;
  // 'unpublished' means no program: rebuild once the global root exists, or the seq moved.
  return config === null && newest.seq === seq;
}

/** Marks an in-flight root published when the chain holds it; otherwise leaves it for the build to replace. */
async function recordIfLanded(
  query: RawQuery,
  client: Pick<RpcClient, 'call'>,
  config: GlobalRootConfig | null,
  row: RootRecord,
): Promise<void> {
  const entry = chainHolds(config, row);
  if (entry === null) return;
  const signature = await findPublishSignature(query, client, { ...row, recorded: row.publishSignature });
  await markRootPublished(query, row.id, { signature, slot: entry.publishedSlot });
}
