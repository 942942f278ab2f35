// What the subscriptions read: published roots after a seq, and viewers' allocations of sealed epochs after an epoch.
// Both orders are the order things happen in: published seqs only grow, and epochs seal in epoch order (the worker
// refuses to seal an epoch while an earlier one is open).
import { type DatabaseHandle, pgArray, sql } from '@attention-oracle/db';
import { hex } from '../hex.js';

/** A root published on chain. */
export interface PublishedRoot {
  readonly seq: bigint;
  /** The root, lowercase hex. */
  readonly root: string;
  readonly slot: bigint | null;
  readonly wallets: number;
  /** Sum of cumulative totals, base units. */
  readonly total: bigint;
  readonly publishedAt: Date | null;
}

/** One viewer's allocations of one sealed epoch. */
export interface EpochAllocations {
  readonly epoch: number;
  readonly userId: string;
  /** Per channel (channel 0 for policies that pay across channels), base units. */
  readonly allocations: readonly { readonly channel: string; readonly amount: bigint }[];
}

/**
 * Items per page of a catch-up read; a shorter page means the reader has caught up.
 *
 * @example if (page.length < PAGE) break;
 */
export const PAGE = 100;

/**
 * The newest published seq of `mint`, or -1 when none is.
 *
 * @example const after = await newestPublishedSeq(db, mint);
 */
export async function newestPublishedSeq(db: DatabaseHandle, mint: Uint8Array): Promise<bigint> {
  const [row] = await db.query<{ seq: string | null }>(sql`select max(seq)::text as seq from roots
    where mint = ${mint} and status = 'published'`);
  return row?.seq == null ? -1n : BigInt(row.seq);
}

/**
 * Up to {@link PAGE} roots of `mint` published with seq above `after`, oldest first.
 *
 * @example for (const root of await publishedAfter(db, mint, 3n)) console.log(root.seq);
 */
export async function publishedAfter(db: DatabaseHandle, mint: Uint8Array, after: bigint): Promise<PublishedRoot[]> {
  const rows = await db.query<{
    seq: string;
    root: Uint8Array;
    slot: string | null;
    wallets: number;
    total: string;
    published_at: Date | string | null;
  }>(sql`select seq::text as seq, root, publish_slot::text as slot, wallets, total::text as total, published_at
    from roots where mint = ${mint} and status = 'published' and seq > ${after.toString()}::bigint
    order by seq limit ${PAGE}`);
  return rows.map((row) => ({
    seq: BigInt(row.seq),
    root: hex(new Uint8Array(row.root)),
    slot: row.slot === null ? null : BigInt(row.slot),
    wallets: row.wallets,
    total: BigInt(row.total),
    publishedAt: row.published_at === null ? null : new Date(row.published_at),
  }));
}

/**
 * The newest sealed epoch, or -1 when none is.
 *
 * @example const after = await newestSealedEpoch(db);
 */
export async function newestSealedEpoch(db: DatabaseHandle): Promise<number> {
  const [row] = await db.query<{ epoch: string | null }>(sql`select max(epoch)::text as epoch from epochs
    where status = 'sealed'`);
  return row?.epoch == null ? -1 : Number(row.epoch);
}

/**
 * Up to {@link PAGE} epochs sealed after `after`, oldest first.
 *
 * @example const epochs = await sealedAfter(db, 1_700_000_000);
 */
export async function sealedAfter(db: DatabaseHandle, after: number): Promise<number[]> {
  const rows = await db.query<{ epoch: string }>(sql`select epoch::text as epoch from epochs
    where status = 'sealed' and epoch > ${after}::bigint order by epoch limit ${PAGE}`);
  return rows.map((row) => Number(row.epoch));
}

/**
 * The allocations of `epochs` to `userIds`, one entry per (epoch, viewer) that has any, by epoch.
 *
 * @example const found = await allocationsOf(db, [3600], ['1001', '1002']);
 */
export async function allocationsOf(
  db: DatabaseHandle,
  epochs: readonly number[],
  userIds: readonly string[],
): Promise<EpochAllocations[]> {
  if (epochs.length === 0 || userIds.length === 0) return [];
  const rows = await db.query<AllocationRow>(sql`select epoch::text as epoch, viewer, channel_id::text as channel,
      amount::text as amount
    from allocations where epoch = any(${pgArray(epochs)}::bigint[]) and viewer = any(${pgArray(userIds)}::text[])
    order by epoch, viewer, channel_id`);
  return group(rows);
}

/**
 * Up to {@link PAGE} epochs (after `after`) in which `userId` has allocations, oldest first, with those allocations.
 *
 * @example const missed = await viewerAllocationsAfter(db, '1001', lastEpoch);
 */
export async function viewerAllocationsAfter(
  db: DatabaseHandle,
  userId: string,
  after: number,
): Promise<EpochAllocations[]> {
  const rows = await db.query<AllocationRow>(sql`select a.epoch::text as epoch, a.viewer, a.channel_id::text as channel,
      a.amount::text as amount
    from allocations a
    where a.viewer = ${userId} and a.epoch in (select distinct epoch from allocations
      where viewer = ${userId} and epoch > ${after}::bigint order by epoch limit ${PAGE})
    order by a.epoch, a.channel_id`);
  return group(rows);
}

interface AllocationRow {
  epoch: string;
  viewer: string;
  channel: string;
  amount: string;
}

function group(rows: readonly AllocationRow[]): EpochAllocations[] {
  const out: { epoch: number; userId: string; allocations: { channel: string; amount: bigint }[] }[] = [];
  for (const row of rows) {
    const epoch = Number(row.epoch);
    let last = out.at(-1);
    if (last === undefined || last.epoch !== epoch || last.userId !== row.viewer) {
      last = { epoch, userId: row.viewer, allocations: [] };
      out.push(last);
    }
    last.allocations.push({ channel: row.channel, amount: BigInt(row.amount) });
  }
  return out;
}
