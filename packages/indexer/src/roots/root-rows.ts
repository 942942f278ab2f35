// The roots table, read as records and updated by status. See the schema (packages/db/src/schema/roots.ts).
import { InvalidArgumentError, type LeafVersion } from '@attention-oracle/core';
import { type RawQuery, sql } from '@attention-oracle/db';
import type { SQL } from 'drizzle-orm';

/**
 * Where a root is: 'built' (awaiting publish), 'awaiting-signature' (an unsigned publish waits for an external signer),
 * 'published', 'imported' (a foreign root's dataset), 'superseded', 'unpublished' (nowhere to publish), 'alarm'.
 */
export type RootStatus =
  | 'built'
  | 'awaiting-signature'
  | 'published'
  | 'imported'
  | 'superseded'
  | 'unpublished'
  | 'alarm';

/** One row of `roots`. */
export interface RootRecord {
  readonly id: number;
  readonly mint: Uint8Array;
  readonly seq: bigint;
  readonly leafVersion: LeafVersion;
  readonly root: Uint8Array;
  readonly datasetHash: Uint8Array;
  readonly wallets: number;
  readonly total: bigint;
  readonly ledgerMark: string;
  readonly status: RootStatus;
  readonly reason: string | null;
  readonly buildMs: number | null;
  readonly builtAt: Date;
  readonly unsignedTx: Uint8Array | null;
  readonly publishSignature: string | null;
  readonly publishSlot: bigint | null;
  readonly publishedAt: Date | null;
  readonly finalized: boolean;
}

interface RootRow {
  id: string;
  mint: Uint8Array;
  seq: string;
  leaf_version: string;
  root: Uint8Array;
  dataset_hash: Uint8Array;
  wallets: number;
  total: string;
  ledger_mark: string;
  status: string;
  reason: string | null;
  build_ms: number | null;
  built_at: Date | string;
  unsigned_tx: Uint8Array | null;
  publish_signature: string | null;
  publish_slot: string | null;
  published_at: Date | string | null;
  finalized: boolean;
}

const COLUMNS = sql.raw(`id::text as id, mint, seq::text as seq, leaf_version, root, dataset_hash, wallets,
  total::text as total, ledger_mark, status, reason, build_ms, built_at, unsigned_tx, publish_signature,
  publish_slot::text as publish_slot, published_at, finalized`);

const bytes = (value: Uint8Array) => new Uint8Array(value);

function toRecord(row: RootRow): RootRecord {
  return {
    id: Number(row.id),
    mint: bytes(row.mint),
    seq: BigInt(row.seq),
    leafVersion: row.leaf_version as LeafVersion,
    root: bytes(row.root),
    datasetHash: bytes(row.dataset_hash),
    wallets: row.wallets,
    total: BigInt(row.total),
    ledgerMark: row.ledger_mark,
    status: row.status as RootStatus,
    reason: row.reason,
    buildMs: row.build_ms,
    builtAt: new Date(row.built_at),
    unsignedTx: row.unsigned_tx === null ? null : bytes(row.unsigned_tx),
    publishSignature: row.publish_signature,
    publishSlot: row.publish_slot === null ? null : BigInt(row.publish_slot),
    publishedAt: row.published_at === null ? null : new Date(row.published_at),
    finalized: row.finalized,
  };
}

/**
 * Rows of `roots` matching `where` (an SQL condition), in `order`.
 *
 * @example const built = await selectRoots(db.query, sql`status = 'built'`);
 */
export async function selectRoots(
  query: RawQuery,
  where: SQL,
  order: SQL = sql`id desc`,
  limit = 1000,
): Promise<RootRecord[]> {
  const rows = await query<RootRow>(sql`select ${COLUMNS} from roots where ${where} order by ${order} limit ${limit}`);
  return rows.map(toRecord);
}

/**
 * The row with id `id`, or null.
 *
 * @example const root = await readRoot(db.query, 7);
 */
export async function readRoot(query: RawQuery, id: number): Promise<RootRecord | null> {
  requireRootId(id);
  const [row] = await selectRoots(query, sql`id = ${id}`);
  return row ?? null;
}

/**
 * Throws an InvalidArgumentError unless `id` is a positive safe integer.
 *
 * @example requireRootId(Number(arg));
 */
export function requireRootId(id: number): number {
  if (!Number.isSafeInteger(id) || id < 1) throw new InvalidArgumentError(`a root id is a positive integer, got ${id}`);
  return id;
}

/**
 * Sets a root's status and reason.
 *
 * @example await setRootStatus(db.query, id, 'alarm', decision.message);
 */
export async function setRootStatus(
  query: RawQuery,
  id: number,
  status: RootStatus,
  reason: string | null,
): Promise<void> {
  await query(sql`update roots set status = ${status}, reason = ${reason} where id = ${id}`);
}

/**
 * Records a root as published at `slot` by the transaction `signature`, or null when it is not known yet (chain-watch
 * fills it in from the GlobalRootPublished event).
 *
 * @example await markRootPublished(db.query, id, { signature, slot: 123n });
 */
export async function markRootPublished(
  query: RawQuery,
  id: number,
  published: { signature: string | null; slot: bigint },
): Promise<void> {
  await query(sql`update roots set status = 'published', reason = null, publish_signature = ${published.signature},
      publish_slot = ${published.slot.toString()}::bigint, published_at = coalesce(published_at, now())
    where id = ${id}`);
}

/**
 * The roots of `mint` this system published or whose dataset it imported, by seq: what may be built upon.
 *
 * @example const known = await systemRoots(db.query, mint); known.get(7n)?.root
 */
export async function systemRoots(
  query: RawQuery,
  mint: Uint8Array,
): Promise<Map<bigint, { readonly id: number; readonly root: Uint8Array }>> {
  const rows = await query<{ id: string; seq: string; root: Uint8Array }>(sql`
    select id::text as id, seq::text as seq, root from roots
    where mint = ${mint} and status in ('published', 'imported')`);
  return new Map(rows.map((r) => [BigInt(r.seq), { id: Number(r.id), root: bytes(r.root) }]));
}

/**
 * Marks every root of `mint` still waiting to be published as 'unpublished' with `reason`: in direct settlement roots
 * are built (proofs are served) but never published, since a published root would let wallets claim twice.
 *
 * @example await markUnpublishable(db.query, mint, 'settlement is direct: ...');
 */
export async function markUnpublishable(query: RawQuery, mint: Uint8Array, reason: string): Promise<number[]> {
  const rows = await query<{ id: number }>(sql`update roots set status = 'unpublished', reason = ${reason}
    where mint = ${mint} and status = 'built' returning id::int as id`);
  return rows.map((r) => r.id);
}
