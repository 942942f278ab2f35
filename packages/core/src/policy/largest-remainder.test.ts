import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { type KeyedAmount, scaleEntriesToBudget, scaleToBudget, sumAmounts } from './largest-remainder.js';

const keyed = (...amounts: bigint[]): KeyedAmount[] => amounts.map((amount, i) => ({ key: `k${i}`, amount }));

/** Up to 8 entries with unique keys and small amounts, so remainder ties are common. */
const entriesArb = fc.uniqueArray(
  fc.record({ key: fc.string({ maxLength: 3 }), amount: fc.bigInt({ min: 0n, max: 40n }) }),
  { selector: (e) => e.key, maxLength: 8 },
);
const budgetArb = fc.bigInt({ min: 0n, max: 200n });

describe('scaleToBudget', () => {
  it('returns the amounts unchanged (a new array) when they fit', () => {
    const input = keyed(5n, 0n, 7n);
    expect(scaleToBudget(input, 12n)).toEqual([5n, 0n, 7n]);
    expect(scaleToBudget(input, 100n)).toEqual([5n, 0n, 7n]);
    expect(scaleToBudget([], 0n)).toEqual([]);
  });

  it('floors each share and hands leftover units to the largest remainders', () => {
    // sum 10, budget 7: quotas 3.5, 2.1, 1.4 -> floors 3, 2, 1; one unit left for the largest remainder (k0).
    expect(scaleToBudget(keyed(5n, 3n, 2n), 7n)).toEqual([4n, 2n, 1n]);
    // quotas 2.5, 1.5, 1.0: k0 and k1 tie on remainder, the smaller key wins.
    expect(scaleToBudget(keyed(5n, 3n, 2n), 5n)).toEqual([3n, 1n, 1n]);
    expect(scaleToBudget(keyed(9n, 9n), 0n)).toEqual([0n, 0n]);
  });

  it('breaks ties by key, whatever the input order', () => {
    const abc = [
      { key: 'b', amount: 1n },
      { key: 'c', amount: 1n },
      { key: 'a', amount: 1n },
    ];
    expect(scaleToBudget(abc, 2n)).toEqual([1n, 0n, 1n]);
    // Plain string comparison: "B" (0x42) sorts before "a" (0x61), "10" before "9".
    expect(
      scaleToBudget(
        [
          { key: 'a', amount: 1n },
          { key: 'B', amount: 1n },
        ],
        1n,
      ),
    ).toEqual([0n, 1n]);
    expect(
      scaleToBudget(
        [
          { key: '9', amount: 1n },
          { key: '10', amount: 1n },
        ],
        1n,
      ),
    ).toEqual([0n, 1n]);
  });

  it('handles amounts far beyond u64 without loss', () => {
    const huge = 2n ** 200n;
    expect(scaleToBudget(keyed(huge, huge, huge), 2n ** 64n - 1n)).toEqual([
      6148914691236517205n,
      6148914691236517205n,
      6148914691236517205n,
    ]);
  });

  it('rejects bad input', () => {
    const cases: [() => unknown, string][] = [
      [() => scaleToBudget(keyed(1n), -1n), 'budget must be a non-negative bigint, got -1'],
      [() => scaleToBudget(keyed(1n), 1 as never), 'budget must be a non-negative bigint, got 1'],
      [() => scaleToBudget('x' as never, 1n), 'amounts must be an array'],
      [() => scaleToBudget(keyed(1n, -2n), 1n), 'amount for "k1" must be a non-negative bigint, got -2'],
      [
        () => scaleToBudget([{ key: 'a', amount: 3 as never }], 1n),
        'amount for "a" must be a non-negative bigint, got 3',
      ],
      [() => scaleToBudget([{ key: 1 as never, amount: 3n }], 1n), 'every amount needs a string key, got number'],
      [
        () =>
          scaleToBudget(
            [
              { key: 'a', amount: 1n },
              { key: 'a', amount: 2n },
            ],
            1n,
          ),
        'duplicate key "a"',
      ],
    ];
    for (const [run, message] of cases) {
      expect(run).toThrow(InvalidArgumentError);
      expect(run).toThrow(message);
    }
  });

  it('sums to min(sum, budget), never exceeds an input, stays within 1 of the exact share', () => {
    fc.assert(
      fc.property(entriesArb, budgetArb, (entries, budget) => {
        const out = scaleToBudget(entries, budget);
        const sum = sumAmounts(entries.map((e) => e.amount));
        // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigints
        expect(sumAmounts(out)).toBe(sum < budget ? sum : budget);
        entries.forEach((e, i) => {
          const r = out[i] as bigint;
          expect(r >= 0n && r <= e.amount).toBe(true);
          if (sum > budget) {
            const floor = (e.amount * budget) / sum;
            expect(r === floor || r === floor + 1n).toBe(true);
          }
        });
      }),
    );
  });

  it('gives each key the same result whatever the input order', () => {
    const arb = entriesArb.chain((entries) =>
      fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length }), budgetArb),
    );
    fc.assert(
      fc.property(arb, ([entries, shuffled, budget]) => {
        const byKey = (list: KeyedAmount[]) => {
          const out = scaleToBudget(list, budget);
          return new Map(list.map((e, i) => [e.key, out[i]]));
        };
        expect(byKey(shuffled)).toEqual(byKey(entries));
      }),
    );
  });

  // Raising one entry with the others fixed never lowers its result. Proof sketch: its quota and fractional part
  // can only grow while every other quota shrinks. An entry that now outranks it on remainder either outranked it
  // before, or had its floor drop, and each such drop also adds one leftover unit; so if it won a unit before, it
  // still wins one.
  it('never lowers an entry when only that entry grows', () => {
    const arb = entriesArb
      .filter((e) => e.length > 0)
      .chain((entries) =>
        fc.tuple(
          fc.constant(entries),
          fc.nat({ max: entries.length - 1 }),
          fc.bigInt({ min: 0n, max: 40n }),
          budgetArb,
        ),
      );
    fc.assert(
      fc.property(arb, ([entries, index, raise, budget]) => {
        const raised = entries.map((e, i) => (i === index ? { key: e.key, amount: e.amount + raise } : e));
        expect(scaleToBudget(raised, budget)[index] as bigint).toBeGreaterThanOrEqual(
          scaleToBudget(entries, budget)[index] as bigint,
        );
      }),
    );
  });

  // When one entry grows by u and the others change in any way that does not raise the total by more than u, its
  // exact share a*B/S cannot shrink: (a+u)/(S+u) >= a/S because a <= S. Rounding keeps a result within
  // [floor(share), floor(share) + 1], so it can lose at most the one unit it may have won before.
  it('lowers an entry by at most 1 when it grows and the others do not add to the total', () => {
    const arb = entriesArb
      .filter((e) => e.length > 1)
      .chain((entries) =>
        fc.tuple(
          fc.constant(entries),
          fc.nat({ max: entries.length - 1 }),
          fc.bigInt({ min: 0n, max: 40n }),
          fc.array(fc.bigInt({ min: 0n, max: 40n }), { minLength: entries.length, maxLength: entries.length }),
          budgetArb,
        ),
      );
    fc.assert(
      fc.property(arb, ([entries, index, raise, others, budget]) => {
        const changed = entries.map((e, i) => ({
          key: e.key,
          amount: i === index ? e.amount + raise : (others[i] as bigint),
        }));
        const oldOthers = sumAmounts(entries.map((e) => e.amount)) - (entries[index] as KeyedAmount).amount;
        fc.pre(sumAmounts(changed.map((e) => e.amount)) - (changed[index] as KeyedAmount).amount <= oldOthers);
        const before = scaleToBudget(entries, budget)[index] as bigint;
        expect(scaleToBudget(changed, budget)[index] as bigint).toBeGreaterThanOrEqual(before - 1n);
      }),
    );
  });
});

describe('scaleEntriesToBudget / sumAmounts', () => {
  it('scales in place and reports whether it had to', () => {
    const entries = [
      { id: 'x', amount: 5n },
      { id: 'y', amount: 5n },
    ];
    expect(scaleEntriesToBudget(entries, (e) => e.id, 10n)).toBe(false);
    expect(entries.map((e) => e.amount)).toEqual([5n, 5n]);
    expect(scaleEntriesToBudget(entries, (e) => e.id, 3n)).toBe(true);
    expect(entries.map((e) => e.amount)).toEqual([2n, 1n]);
  });

  it('sums bigints', () => {
    expect(sumAmounts([])).toBe(0n);
    expect(sumAmounts(new Set([1n, 2n, 2n ** 70n]))).toBe(2n ** 70n + 3n);
  });
});
