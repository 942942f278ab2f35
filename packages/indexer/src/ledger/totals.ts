// A wallet's entitlement, defined once: its credited total (wallet_totals), plus for V5 the base yield imported for the
// newest root at or before the one being built. Everything that pays or publishes reads it from here.
import {
  compareBytes,
  type GlobalLeaves,
  InvalidArgumentError,
  type LeafVersion,
  toHex,
  U64_MAX,
} from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import type { SQL } from 'drizzle-orm';

/** What a wallet is owed in total (cumulative, never decreasing). */
export interface WalletEntitlement {
  /** Credited by this system (V5's attention_bonus). */
  credited: bigint;
  /** Imported base yield (V5), 0 when none. */
  baseYield: bigint;
  /** credited + baseYield: the cumulative total a claim pays up to. */
  total: bigint;
}

/**
 * The entitlement of one wallet (32 bytes). `rootSeq` picks the base yield imported for the newest root at or before
 * it; omitted, the newest import.
 *
 * @example const { total } = await walletEntitlement(db.query, wallet);
 */
export async function walletEntitlement(
  query: RawQuery,
  wallet: Uint8Array,
  rootSeq?: bigint,
): Promise<WalletEntitlement> {
  const upTo = rootSeq === undefined ? null : rootSeq.toString();
  const [row] = await query<{ credited: string | null; base_yield: string | null }>(sql`
    select (select total::text from wallet_totals where wallet = ${wallet}) as credited,
      (select base_yield::text from external_credits where wallet = ${wallet}
        and (${upTo}::bigint is null or root_seq <= ${upTo}::bigint) order by root_seq desc limit 1) as base_yield`);
  const credited = BigInt(row?.credited ?? 0);
  const baseYield = BigInt(row?.base_yield ?? 0);
  return { credited, baseYield, total: credited + baseYield };
}

/** Every wallet's leaf amounts for one root, read in one snapshot, sorted by wallet bytes. */
export interface WalletTotalsSnapshot {
  /** Null when no wallet is owed anything (there is no root to build). */
  readonly leaves: GlobalLeaves | null;
  readonly count: number;
  /** The sum of the wallets' cumulative totals (credited + base yield). */
  readonly total: bigint;
  /** {@link ledgerMark} in the same snapshot. */
  readonly ledgerMark: string;
}

/** Options of {@link readWalletTotals}. */
export interface ReadWalletTotalsOptions {
  readonly leafVersion: LeafVersion;
  /** The root being built: base yields imported for roots after it are not used. */
  readonly rootSeq: bigint;
  /** Wallets per statement (default 100,000). */
  readonly pageSize?: number;
  /** Called after each page with rows read and the rows expected. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * A cheap string that changes whenever any leaf of the next root could change: wallet_totals' row count and sum
 * (totals only grow and rows are never deleted, so every credit moves one of them), the external-credit imports up to
 * `rootSeq` (imports are immutable, one per root, in increasing order), and the leaf version.
 *
 * @example if ((await ledgerMark(db.query, 'v4', seq)) === previous.ledgerMark) return 'nothing changed';
 */
export async function ledgerMark(query: RawQuery, leafVersion: LeafVersion, rootSeq: bigint): Promise<string> {
  const [row] = await query<{ wallets: string; total: string; imports: string; last_import: string }>(sql`
    select (select count(*)::text from wallet_totals) as wallets,
      (select coalesce(sum(total), 0)::text from wallet_totals) as total,
      (select count(*)::text from external_credit_imports where root_seq <= ${rootSeq.toString()}::bigint) as imports,
      (select coalesce(max(root_seq), 0)::text from external_credit_imports
        where root_seq <= ${rootSeq.toString()}::bigint) as last_import`);
  return `${leafVersion} totals=${row?.wallets ?? 0}/${row?.total ?? 0} imports=${row?.imports ?? 0}/${row?.last_import ?? 0}`;
}

/**
 * Every wallet's entitlement as leaves for root `rootSeq` (the same definition as {@link walletEntitlement}): V4
 * cumulative_total = credited + base yield; V5 base_yield = the newest imported base yield at or before `rootSeq`,
 * attention_bonus = credited. Wallets owed nothing have no leaf. Read in pages by wallet inside one repeatable-read
 * transaction, so the leaves and the ledger mark describe the same moment.
 *
 * @example const { leaves, ledgerMark } = await readWalletTotals(db, { leafVersion: 'v4', rootSeq: 8n });
 */
export async function readWalletTotals(
  db: DatabaseHandle,
  options: ReadWalletTotalsOptions,
): Promise<WalletTotalsSnapshot> {
  const { leafVersion, rootSeq } = options;
  if (leafVersion !== 'v4' && leafVersion !== 'v5') {
    throw new InvalidArgumentError(`leaf version must be "v4" or "v5", got ${String(leafVersion)}`);
  }
  if (typeof rootSeq !== 'bigint' || rootSeq < 1n) {
    throw new InvalidArgumentError(`root seq must be a bigint >= 1, got ${String(rootSeq)}`);
  }
  const pageSize = options.pageSize ?? 100_000;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new InvalidArgumentError(`page size must be a positive integer, got ${pageSize}`);
  }
  const upTo = rootSeq.toString();
  return db.transaction(async (query) => {
    await query(sql`set transaction isolation level repeatable read, read only`);
    const mark = await ledgerMark(query, leafVersion, rootSeq);
    const [counts] = await query<{ credited: number; yields: number }>(sql`
      select (select count(*)::int from wallet_totals where total > 0) as credited,
        (select count(distinct wallet)::int from external_credits where root_seq <= ${upTo}::bigint) as yields`);
    const expected = (counts?.credited ?? 0) + (counts?.yields ?? 0);
    let done = 0;
    const progress = (rows: number) => {
      done += rows;
      options.onProgress?.(done, expected);
    };
    const credited = await readAmountPages(
      query,
      counts?.credited ?? 0,
      pageSize,
      progress,
      (after) => sql`
      select wallet, total::text as amount from wallet_totals
      where total > 0 and (${after}::bytea is null or wallet > ${after}::bytea) order by wallet limit ${pageSize}`,
    );
    // Base yields in one statement: the newest per wallet needs a sort that paging would repeat.
    const yields = new AmountColumns(counts?.yields ?? 0);
    if ((counts?.yields ?? 0) > 0) {
      const rows = await query<{ wallet: Uint8Array; amount: string }>(sql`
        select wallet, amount from (
          select distinct on (wallet) wallet, base_yield::text as amount, base_yield from external_credits
          where root_seq <= ${upTo}::bigint order by wallet, root_seq desc) y
        where base_yield > 0 order by wallet`);
      for (const row of rows) yields.push(row.wallet, row.amount);
      progress(rows.length);
    }
    return { ...mergeLeaves(leafVersion, credited, yields), ledgerMark: mark };
  });
}

/** Wallets (32 bytes) and u64 little-endian amounts, in columns. */
class AmountColumns {
  wallets: Uint8Array;
  amounts: Uint8Array;
  count = 0;

  constructor(capacity: number) {
    this.wallets = new Uint8Array(capacity * 32);
    this.amounts = new Uint8Array(capacity * 8);
  }

  push(wallet: Uint8Array, amount: string): void {
    if (this.count * 32 === this.wallets.length) {
      const bigger = new AmountColumns(Math.max(1024, this.count * 2));
      bigger.wallets.set(this.wallets);
      bigger.amounts.set(this.amounts);
      this.wallets = bigger.wallets;
      this.amounts = bigger.amounts;
    }
    if (wallet.length !== 32)
      throw new InvalidArgumentError(`a wallet in the ledger is ${wallet.length} bytes, not 32`);
    this.wallets.set(wallet, this.count * 32);
    const view = new DataView(this.amounts.buffer);
    // Up to 15 digits a double is exact (and far faster than BigInt); longer amounts take the BigInt path.
    if (amount.length <= 15) {
      const value = Number(amount);
      view.setUint32(this.count * 8, value % TWO_32, true);
      view.setUint32(this.count * 8 + 4, Math.floor(value / TWO_32), true);
    } else {
      const value = BigInt(amount);
      if (value > U64_MAX) throw new InvalidArgumentError(`an amount in the ledger exceeds u64: ${amount}`);
      view.setBigUint64(this.count * 8, value, true);
    }
    this.count++;
  }
}

const TWO_32 = 0x1_0000_0000;

async function readAmountPages(
  query: RawQuery,
  capacity: number,
  pageSize: number,
  progress: (rows: number) => void,
  page: (after: Uint8Array | null) => SQL,
): Promise<AmountColumns> {
  const columns = new AmountColumns(capacity);
  let after: Uint8Array | null = null;
  for (;;) {
    const rows = await query<{ wallet: Uint8Array; amount: string }>(page(after));
    for (const row of rows) columns.push(row.wallet, row.amount);
    progress(rows.length);
    if (rows.length < pageSize) return columns;
    after = columns.wallets.slice((columns.count - 1) * 32, columns.count * 32);
  }
}

/** Merges credited totals and base yields (both sorted by wallet) into leaves of `version`. */
function mergeLeaves(
  version: LeafVersion,
  credited: AmountColumns,
  yields: AmountColumns,
): { leaves: GlobalLeaves | null; count: number; total: bigint } {
  if (yields.count === 0 && version === 'v4') {
    const count = credited.count;
    const leaves = {
      version,
      wallets: credited.wallets.subarray(0, count * 32),
      amounts: credited.amounts.subarray(0, count * 8),
    };
    return { leaves: count === 0 ? null : leaves, count, total: sumAmounts(leaves.amounts, 8, 0) };
  }
  const width = version === 'v4' ? 8 : 16;
  const capacity = credited.count + yields.count;
  const wallets = new Uint8Array(capacity * 32);
  const amounts = new Uint8Array(capacity * width);
  const out = new DataView(amounts.buffer);
  const a = new DataView(credited.amounts.buffer);
  const b = new DataView(yields.amounts.buffer);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < credited.count || j < yields.count) {
    const order =
      i === credited.count
        ? 1
        : j === yields.count
          ? -1
          : compareBytes(credited.wallets.subarray(i * 32, i * 32 + 32), yields.wallets.subarray(j * 32, j * 32 + 32));
    const bonus = order <= 0 ? a.getBigUint64(i * 8, true) : 0n;
    const base = order >= 0 ? b.getBigUint64(j * 8, true) : 0n;
    wallets.set(
      order <= 0 ? credited.wallets.subarray(i * 32, i * 32 + 32) : yields.wallets.subarray(j * 32, j * 32 + 32),
      n * 32,
    );
    if (version === 'v5') {
      out.setBigUint64(n * 16, base, true);
      out.setBigUint64(n * 16 + 8, bonus, true);
    } else {
      if (base + bonus > U64_MAX) {
        throw new InvalidArgumentError(
          `wallet ${toHex(wallets.subarray(n * 32, n * 32 + 32))}: credited + base yield exceeds u64`,
        );
      }
      out.setBigUint64(n * 8, base + bonus, true);
    }
    if (order <= 0) i++;
    if (order >= 0) j++;
    n++;
  }
  const leaves = { version, wallets: wallets.subarray(0, n * 32), amounts: amounts.subarray(0, n * width) };
  const total = sumAmounts(leaves.amounts, width, 0) + (version === 'v5' ? sumAmounts(leaves.amounts, width, 8) : 0n);
  return { leaves: n === 0 ? null : leaves, count: n, total };
}

/** The sum of the u64 at `offset` of every `width`-byte record. */
function sumAmounts(amounts: Uint8Array, width: number, offset: number): bigint {
  const view = new DataView(amounts.buffer, amounts.byteOffset, amounts.byteLength);
  let total = 0n;
  let run = 0; // exact while below 2^53; folded into the bigint before it could pass that
  for (let at = offset; at < amounts.length; at += width) {
    const hi = view.getUint32(at + 4, true);
    if (hi >= 0x20_0000) {
      total += view.getBigUint64(at, true);
      continue;
    }
    const value = hi * TWO_32 + view.getUint32(at, true);
    if (run + value > Number.MAX_SAFE_INTEGER) {
      total += BigInt(run);
      run = 0;
    }
    run += value;
  }
  return total + BigInt(run);
}
