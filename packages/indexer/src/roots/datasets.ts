// Datasets in and out: export any stored root's dataset; import a root's dataset (how a foreign root is accepted) after
// checking it rebuilds to what the chain holds at its seq.
import {
  equalBytes,
  InvalidArgumentError,
  parseDataset,
  type TreeBuilder,
  toHex,
  verifyDataset,
} from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import type { RpcClient } from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import { readGlobalRootConfig } from './chain-state.js';
import { chainEntry } from './landed.js';
import { loadRootDataset } from './load.js';
import { phaseProgress, type RootProgress } from './progress.js';
import { compressDataset, writeRootBlob } from './root-blobs.js';
import { requireRootId, selectRoots } from './root-rows.js';

/** Which root's dataset: by row id, or by seq of a mint (its published or imported root first). */
export type DatasetRef = { readonly rootId: number } | { readonly seq: bigint; readonly mint: Uint8Array };

/**
 * The dataset file of a stored root, uncompressed.
 *
 * @throws InvalidArgumentError when no root matches; Error when its dataset is not stored.
 * @example await writeFile('seq-7.dataset', await exportDataset(db.query, { seq: 7n, mint }));
 */
export async function exportDataset(query: RawQuery, ref: DatasetRef): Promise<Uint8Array> {
  if ('rootId' in ref) return loadRootDataset(query, requireRootId(ref.rootId));
  if (typeof ref.seq !== 'bigint' || ref.seq < 1n) {
    throw new InvalidArgumentError(`seq must be a bigint >= 1, got ${String(ref.seq)}`);
  }
  const [row] = await selectRoots(
    query,
    sql`mint = ${ref.mint} and seq = ${ref.seq.toString()}::bigint and status <> 'superseded'`,
    sql`(status in ('published', 'imported')) desc, id desc`,
    1,
  );
  if (row === undefined) throw new InvalidArgumentError(`there is no stored root with seq ${ref.seq} for this mint`);
  return loadRootDataset(query, row.id);
}

/** Options of {@link importDataset}. */
export interface ImportDatasetOptions {
  readonly client: Pick<RpcClient, 'call'>;
  readonly programId: PublicKey;
  /** Who imports, for the audit log. */
  readonly actor: string;
  readonly builder?: TreeBuilder;
  readonly onProgress?: RootProgress;
}

/** What {@link importDataset} did. */
export interface ImportDatasetResult {
  readonly rootId: number;
  /** False when this root was already stored (published or imported): nothing changed. */
  readonly imported: boolean;
  readonly seq: bigint;
  readonly root: Uint8Array;
  readonly datasetHash: Uint8Array;
  readonly wallets: number;
  readonly total: bigint;
}

/**
 * Imports a root's dataset as status 'imported', once it rebuilds to the root and dataset hash the chain published at
 * its root_seq (GlobalRootConfig while the seq is among its four roots, else chain-watch's GlobalRootPublished
 * records). Publishing may then build on that root, never lowering a total it holds. Importing it again is a no-op.
 *
 * @throws InvalidArgumentError for a malformed dataset, or one the chain does not confirm.
 * @example const { rootId } = await importDataset(db, await readFile(path), { client, programId, actor: 'cli' });
 */
export async function importDataset(
  db: DatabaseHandle,
  file: Uint8Array,
  options: ImportDatasetOptions,
): Promise<ImportDatasetResult> {
  const { client, programId } = options;
  if (typeof options.actor !== 'string' || options.actor.trim() === '' || options.actor.length > 200) {
    throw new InvalidArgumentError(
      `actor must be 1-200 characters naming who imports, got ${JSON.stringify(options.actor)}`,
    );
  }
  const verify = phaseProgress(options.onProgress, 'verify');
  verify(0, 1);
  const parsed = parseDataset(file);
  const check = await verifyDataset(file, {}, options.builder);
  verify(1, 1);
  const { mint, rootSeq: seq, root, datasetHash } = check;
  const what = `the dataset of seq ${seq} (root 0x${toHex(root)}, dataset hash 0x${toHex(datasetHash)})`;

  const config = await readGlobalRootConfig(client, { programId, mint: new PublicKey(mint) });
  if (config === null) {
    throw new InvalidArgumentError(
      `the global root of mint ${new PublicKey(mint).toBase58()} does not exist on this chain: ${what} cannot be checked`,
    );
  }
  const entry = chainEntry(config, seq);
  const published = entry ? { ...entry, signature: null } : await recordedEvent(db.query, mint, seq);
  if (published === null) {
    throw new InvalidArgumentError(
      `seq ${seq} is not among the chain's four roots (latest ${config.latestRootSeq}) and chain-watch recorded no GlobalRootPublished for it: ${what} cannot be checked`,
    );
  }
  if (!equalBytes(published.root, root) || !equalBytes(published.datasetHash, datasetHash)) {
    throw new InvalidArgumentError(
      `${what} is not what the chain published at seq ${seq} (root 0x${toHex(published.root)}, dataset hash 0x${toHex(published.datasetHash)})`,
    );
  }

  const wallets = check.count;
  const total = sumAmounts(parsed.leaves.amounts);
  const stored = await compressDataset(file);
  return db.transaction(async (query) => {
    const [existing] = await selectRoots(
      query,
      sql`mint = ${mint} and seq = ${seq.toString()}::bigint and status in ('published', 'imported')`,
    );
    if (existing !== undefined) {
      if (!equalBytes(existing.root, root)) {
        throw new InvalidArgumentError(`seq ${seq} is already stored with another root (id ${existing.id})`);
      }
      return { rootId: existing.id, imported: false, seq, root, datasetHash, wallets, total };
    }
    const [row] = await query<{ id: string }>(sql`
      insert into roots (mint, seq, leaf_version, root, dataset_hash, wallets, total, ledger_mark, status, reason,
        publish_signature, publish_slot, published_at)
      values (${mint}, ${seq.toString()}::bigint, ${parsed.leaves.version}, ${root}, ${datasetHash}, ${wallets},
        ${total.toString()}::numeric, 'imported', 'imported', ${`imported by ${options.actor}`}, ${published.signature},
        ${published.publishedSlot.toString()}::bigint, now())
      returning id::text as id`);
    const rootId = Number(row?.id);
    await writeRootBlob(query, rootId, 'dataset', stored);
    const details = JSON.stringify({
      rootId,
      root: toHex(root),
      datasetHash: toHex(datasetHash),
      wallets,
      total: `${total}`,
    });
    await query(sql`insert into audit_log (actor, action, subject, details)
      values (${options.actor}, 'root-import', ${`seq ${seq}`}, ${details}::jsonb)`);
    return { rootId, imported: true, seq, root, datasetHash, wallets, total };
  });
}

/** chain-watch's record of the publish of `seq`, for a seq that rotated out of the program's four roots. */
async function recordedEvent(query: RawQuery, mint: Uint8Array, seq: bigint) {
  const [event] = await query<{ root: Uint8Array; dataset_hash: Uint8Array; slot: string; signature: string }>(sql`
    select root, dataset_hash, slot::text as slot, signature from chain_root_events
    where mint = ${mint} and root_seq = ${seq.toString()}::bigint order by slot desc limit 1`);
  if (event === undefined) return null;
  return {
    root: new Uint8Array(event.root),
    datasetHash: new Uint8Array(event.dataset_hash),
    publishedSlot: BigInt(event.slot),
    signature: event.signature,
  };
}

/** The sum of every u64 in `amounts`: the total of V4 leaves, and of V5 ones (base yield + attention bonus). */
function sumAmounts(amounts: Uint8Array): bigint {
  const view = new DataView(amounts.buffer, amounts.byteOffset, amounts.byteLength);
  let total = 0n;
  for (let at = 0; at < amounts.length; at += 8) total += view.getBigUint64(at, true);
  return total;
}
