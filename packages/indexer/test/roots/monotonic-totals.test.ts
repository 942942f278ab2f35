import { base58Encode, type GlobalLeaves, globalLeavesFromEntries, U64_MAX } from '@attention-oracle/core';
import { describe, expect, it } from 'vitest';
import { checkMonotonicTotals } from '../../src/roots/monotonic-totals.js';

/** Wallet n: n big-endian in the first 4 bytes, so wallets sort by n. */
const wallet = (n: number) => {
  const w = new Uint8Array(32);
  new DataView(w.buffer).setUint32(0, n, false);
  w[31] = 7;
  return w;
};
const v4 = (...rows: [number, bigint][]) =>
  globalLeavesFromEntries(
    'v4',
    rows.map(([n, t]) => ({ wallet: wallet(n), cumulativeTotal: t })),
  );
const v5 = (...rows: [number, bigint, bigint][]) =>
  globalLeavesFromEntries(
    'v5',
    rows.map(([n, baseYield, attentionBonus]) => ({ wallet: wallet(n), baseYield, attentionBonus })),
  );

describe('checkMonotonicTotals', () => {
  it('accepts anything without a previous dataset', () => {
    expect(checkMonotonicTotals(undefined, v4([1, 5n]))).toEqual({ ok: true });
  });

  it('accepts equal, increased and new wallets', () => {
    const prev = v4([1, 5n], [3, 10n]);
    expect(checkMonotonicTotals(prev, v4([0, 1n], [1, 5n], [2, 9n], [3, 11n], [4, 1n]))).toEqual({ ok: true });
  });

  it('reports decreases with base58 wallets and both totals', () => {
    const r = checkMonotonicTotals(v4([1, 5n], [2, U64_MAX], [3, 7n]), v4([1, 4n], [2, U64_MAX - 1n], [3, 7n]));
    expect(r).toEqual({
      ok: false,
      decreased: [
        { wallet: base58Encode(wallet(1)), previous: 5n, next: 4n },
        { wallet: base58Encode(wallet(2)), previous: U64_MAX, next: U64_MAX - 1n },
      ],
      decreasedCount: 2,
      missing: 0,
      missingWallets: [],
    });
  });

  it('counts wallets that disappeared, at the start, middle and end', () => {
    const r = checkMonotonicTotals(v4([1, 1n], [2, 1n], [3, 1n], [4, 1n], [5, 1n]), v4([2, 1n], [4, 2n], [6, 1n]));
    expect(r).toMatchObject({ ok: false, decreased: [], missing: 3 });
    expect(r.ok === false && r.missingWallets).toEqual([1, 3, 5].map((n) => base58Encode(wallet(n))));
  });

  it('compares V5 sums, across versions, with a carry between the 32-bit halves', () => {
    const low = 0xffff_ffffn;
    expect(checkMonotonicTotals(v4([1, low * 2n]), v5([1, low, low]))).toEqual({ ok: true });
    expect(checkMonotonicTotals(v5([1, low, low]), v4([1, low * 2n]))).toEqual({ ok: true });
    const r = checkMonotonicTotals(v5([1, low, low]), v5([1, low, low - 1n]));
    expect(r).toMatchObject({ ok: false, decreased: [{ previous: low * 2n, next: low * 2n - 1n }] });
    expect(checkMonotonicTotals(v5([1, 1n << 40n, 0n]), v5([1, 0n, 1n << 40n]))).toEqual({ ok: true });
    const big = checkMonotonicTotals(v5([1, U64_MAX - 5n, 5n]), v5([1, U64_MAX - 6n, 5n]));
    expect(big).toMatchObject({ ok: false, decreased: [{ previous: U64_MAX, next: U64_MAX - 1n }] });
  });

  it('orders totals by the high half before the low half', () => {
    const r = checkMonotonicTotals(v4([1, (1n << 32n) + 0n]), v4([1, 0xffff_ffffn]));
    expect(r).toMatchObject({ ok: false, decreasedCount: 1 });
  });

  it('lists at most 100 problems of each kind but counts them all', () => {
    const prev = v4(...Array.from({ length: 300 }, (_, n): [number, bigint] => [n, 10n]));
    const next = v4(...Array.from({ length: 150 }, (_, n): [number, bigint] => [n, 9n]));
    const r = checkMonotonicTotals(prev, next);
    if (r.ok) throw new Error('expected a failure');
    expect([r.decreased.length, r.decreasedCount, r.missingWallets.length, r.missing]).toEqual([100, 150, 100, 150]);
    expect(r.decreased[99]?.wallet).toBe(base58Encode(wallet(99)));
  });

  it('rejects unsorted or duplicate wallets in either input', () => {
    const unsorted = v4([2, 1n], [1, 1n]);
    const dup = v4([1, 1n], [1, 2n]);
    expect(() => checkMonotonicTotals(undefined, unsorted)).toThrow('next leaves must be sorted by wallet bytes');
    expect(() => checkMonotonicTotals(dup, v4([1, 1n]))).toThrow('previous leaves must be sorted by wallet bytes');
  });

  it('rejects malformed columns', () => {
    const bad: GlobalLeaves = { version: 'v5', wallets: new Uint8Array(32), amounts: new Uint8Array(8) };
    expect(() => checkMonotonicTotals(undefined, bad)).toThrow('next leaves are malformed');
  });

  it('finds the one decrease among 1,000,000 wallets, V4 against V5', () => {
    const count = 1_000_000;
    const make = (version: 'v4' | 'v5', offset: number): GlobalLeaves => {
      const wallets = new Uint8Array(count * 32);
      const view = new DataView(wallets.buffer);
      for (let i = 0; i < count; i++) view.setUint32(i * 32, i, false);
      const width = version === 'v4' ? 8 : 16;
      const amounts = new Uint8Array(count * width);
      const a = new DataView(amounts.buffer);
      for (let i = 0; i < count; i++) a.setUint32(i * width, i + offset, true);
      return { version, wallets, amounts };
    };
    const prev = make('v4', 1);
    const next = make('v5', 1);
    new DataView(next.amounts.buffer).setUint32(500_000 * 16, 3, true);
    const r = checkMonotonicTotals(prev, next);
    expect(r).toMatchObject({
      ok: false,
      decreasedCount: 1,
      missing: 0,
      decreased: [{ previous: 500_001n, next: 3n }],
    });
  });
});
