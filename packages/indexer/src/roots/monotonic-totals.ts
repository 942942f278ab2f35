import { base58Encode, type GlobalLeaves, InvalidArgumentError } from '@attention-oracle/core';

/** At most this many wallets are listed in a failed check (counts are always exact). */
export const MAX_LISTED = 100;

/** A wallet whose cumulative total went down. */
export interface DecreasedTotal {
  /** base58 */
  readonly wallet: string;
  readonly previous: bigint;
  readonly next: bigint;
}

/** Result of {@link checkMonotonicTotals}. */
export type MonotonicTotalsResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** The first (by wallet bytes) at most 100 decreases. */
      readonly decreased: readonly DecreasedTotal[];
      readonly decreasedCount: number;
      /** Wallets in `previous` absent from `next`. */
      readonly missing: number;
      /** The first (by wallet bytes) at most 100 missing wallets, base58. */
      readonly missingWallets: readonly string[];
    };

const TWO_32 = 0x1_0000_0000;

/** Reads cumulative totals as (hi, lo) 32-bit halves: numbers, not bigints, so a million wallets allocate nothing. */
class Totals {
  private readonly view: DataView;
  private readonly v5: boolean;
  readonly wallets: DataView;
  readonly count: number;
  hi = 0;
  lo = 0;

  constructor(leaves: GlobalLeaves, what: string) {
    const width = leaves.version === 'v4' ? 8 : 16;
    this.count = leaves.wallets.length / 32;
    if (!Number.isInteger(this.count) || leaves.amounts.length !== this.count * width) {
      throw new InvalidArgumentError(
        `${what} leaves are malformed: ${leaves.wallets.length} wallet bytes, ${leaves.amounts.length} amount bytes`,
      );
    }
    this.v5 = width === 16;
    this.view = new DataView(leaves.amounts.buffer, leaves.amounts.byteOffset, leaves.amounts.byteLength);
    this.wallets = new DataView(leaves.wallets.buffer, leaves.wallets.byteOffset, leaves.wallets.byteLength);
  }

  /** Loads leaf i's total into hi/lo; V5 adds base_yield and attention_bonus with a carry (hi may pass 2^32). */
  load(i: number): void {
    const v = this.view;
    if (!this.v5) {
      this.lo = v.getUint32(i * 8, true);
      this.hi = v.getUint32(i * 8 + 4, true);
      return;
    }
    const lo = v.getUint32(i * 16, true) + v.getUint32(i * 16 + 8, true);
    const carry = lo >= TWO_32 ? 1 : 0;
    this.lo = lo - carry * TWO_32;
    this.hi = v.getUint32(i * 16 + 4, true) + v.getUint32(i * 16 + 12, true) + carry;
  }

  /** The total as a bigint, only for reporting. */
  total(i: number): bigint {
    this.load(i);
    return BigInt(this.hi) * BigInt(TWO_32) + BigInt(this.lo);
  }

  walletAt(i: number): string {
    const start = this.wallets.byteOffset + i * 32;
    return base58Encode(new Uint8Array(this.wallets.buffer, start, 32));
  }
}

/** Compares 32-byte wallets as eight big-endian words (same order as byte-wise comparison). */
function compareWallets(a: DataView, i: number, b: DataView, j: number): number {
  for (let k = 0; k < 32; k += 4) {
    const x = a.getUint32(i * 32 + k, false);
    const y = b.getUint32(j * 32 + k, false);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// A merge walk over unsorted input would silently miss decreases, so order is checked as it goes.
function requireAscending(t: Totals, i: number, what: string): void {
  if (i > 0 && compareWallets(t.wallets, i - 1, t.wallets, i) >= 0) {
    throw new InvalidArgumentError(
      `${what} leaves must be sorted by wallet bytes without duplicates: wallet ${i} (${t.walletAt(i)}) is not after wallet ${i - 1}`,
    );
  }
}

/**
 * Checks that no wallet's cumulative total goes down from `previous` to `next` and no wallet disappears: claims are
 * cumulative, so a lower total would strand what a wallet is owed. V4 and V5 leaves may be mixed (V5 total =
 * base_yield + attention_bonus). Both inputs must be sorted by wallet bytes; one O(n) merge walk.
 *
 * @example
 * const check = checkMonotonicTotals(importedLeaves, tree.leaves);
 * if (!check.ok) throw new Error(`${check.decreasedCount} totals decreased, ${check.missing} wallets missing`);
 */
export function checkMonotonicTotals(previous: GlobalLeaves | undefined, next: GlobalLeaves): MonotonicTotalsResult {
  const b = new Totals(next, 'next');
  for (let j = 1; j < b.count; j++) requireAscending(b, j, 'next');
  if (previous === undefined) return { ok: true };
  const a = new Totals(previous, 'previous');
  const decreased: DecreasedTotal[] = [];
  const missingWallets: string[] = [];
  let decreasedCount = 0;
  let missing = 0;
  let i = 0;
  let j = 0;
  while (i < a.count) {
    requireAscending(a, i, 'previous');
    const order = j < b.count ? compareWallets(a.wallets, i, b.wallets, j) : -1;
    if (order > 0) {
      j++; // a wallet new in `next`: nothing to compare
      continue;
    }
    if (order < 0) {
      missing++;
      if (missingWallets.length < MAX_LISTED) missingWallets.push(a.walletAt(i));
      i++;
      continue;
    }
    a.load(i);
    b.load(j);
    if (b.hi < a.hi || (b.hi === a.hi && b.lo < a.lo)) {
      decreasedCount++;
      if (decreased.length < MAX_LISTED)
        decreased.push({ wallet: a.walletAt(i), previous: a.total(i), next: b.total(j) });
    }
    i++;
    j++;
  }
  if (decreasedCount === 0 && missing === 0) return { ok: true };
  return { ok: false, decreased, decreasedCount, missing, missingWallets };
}
