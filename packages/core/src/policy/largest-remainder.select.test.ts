// The selection that replaced sorting every entry by remainder: it must pick exactly the entries a full sort picks,
// on inputs with many ties, long sorted runs and sizes where the median-of-three pivot and the sort fallback run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KeyedAmount, largestRemainder, scaleToBudget, selectFirst, sumAmounts } from './largest-remainder.js';
import { compareStrings } from './rows.js';

/** scaleToBudget as it was first written: sort every entry by remainder, then key; hand out the leftover units. */
function referenceScale(amounts: readonly KeyedAmount[], budget: bigint): bigint[] {
  const sum = sumAmounts(amounts.map((a) => a.amount));
  if (sum <= budget) return amounts.map((a) => a.amount);
  const scaled = amounts.map(({ key, amount }, index) => ({
    index,
    key,
    floor: (amount * budget) / sum,
    remainder: (amount * budget) % sum,
  }));
  const leftover = Number(budget - sumAmounts(scaled.map((s) => s.floor)));
  const byRemainder = [...scaled].sort((a, b) =>
    a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : compareStrings(a.key, b.key),
  );
  const result = scaled.map((s) => s.floor);
  for (let i = 0; i < leftover; i++) {
    const winner = byRemainder[i] as (typeof byRemainder)[number];
    result[winner.index] = winner.floor + 1n;
  }
  return result;
}

/** Up to 400 entries with unique keys; small amounts make remainder ties common, large ones make them rare. */
const entriesArb = (maxAmount: bigint) =>
  fc.uniqueArray(fc.record({ key: fc.string({ maxLength: 4 }), amount: fc.bigInt({ min: 0n, max: maxAmount }) }), {
    selector: (e) => e.key,
    maxLength: 400,
  });

describe('selectFirst', () => {
  it('puts the `count` smallest first, as a sort would', () => {
    const shapes = fc.oneof(
      fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }),
      fc.nat({ max: 300 }).map((n) => Array.from({ length: n }, (_, i) => i)),
      fc.nat({ max: 300 }).map((n) => Array.from({ length: n }, (_, i) => n - i)),
      fc.nat({ max: 300 }).map((n) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i : -i))),
    );
    fc.assert(
      fc.property(shapes, fc.nat({ max: 320 }), (values, count) => {
        // Indices ordered by value, then index: a strict total order with many ties in value.
        const items = values.map((_, i) => i);
        const compare = (a: number, b: number) => (values[a] as number) - (values[b] as number) || a - b;
        selectFirst(items, count, compare);
        const expected = values.map((_, i) => i).sort(compare);
        const take = Math.min(count, values.length);
        expect(items.slice(0, take).sort(compare)).toEqual(expected.slice(0, take));
        expect([...items].sort(compare)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays correct when it gives up partitioning and sorts what is left', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 3000);
    const compare = (a: number, b: number) => (values[a] as number) - (values[b] as number);
    for (const maxRounds of [0, 1, 2, 3, 5]) {
      for (const count of [1, 1000, 1500, 2999]) {
        const items = values.map((_, i) => i);
        selectFirst(items, count, compare, maxRounds);
        const smallest = new Set(items.slice(0, count).map((i) => values[i]));
        expect(smallest).toEqual(new Set(Array.from({ length: count }, (_, i) => i)));
      }
    }
  });
});

describe('largestRemainder', () => {
  it('scales exactly like sorting every entry by remainder', () => {
    for (const max of [3n, 40n, 10n ** 30n]) {
      fc.assert(
        fc.property(entriesArb(max), fc.bigInt({ min: 0n, max: 10n ** 32n }), (entries, budget) => {
          expect(scaleToBudget(entries, budget)).toEqual(referenceScale(entries, budget));
          const sum = sumAmounts(entries.map((e) => e.amount));
          if (sum > budget) {
            const direct = largestRemainder(
              entries.map((e) => e.amount),
              sum,
              budget,
              (i, j) => compareStrings((entries[i] as KeyedAmount).key, (entries[j] as KeyedAmount).key),
            );
            expect(direct).toEqual(referenceScale(entries, budget));
          }
        }),
        { numRuns: 500 },
      );
    }
  });
});
