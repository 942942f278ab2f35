import { InvalidArgumentError, invariant, requireArgument } from '../errors.js';
import { compareStrings } from './rows.js';

/** An amount in base units with a key that identifies it and breaks rounding ties. */
export interface KeyedAmount {
  readonly key: string;
  readonly amount: bigint;
}

/**
 * Scales `amounts` down so they sum to exactly `budget` (largest-remainder method); returns them unchanged, in the
 * same order, when they already fit. Each entry gets `floor(a * budget / sum)`; the few units left over go one each
 * to the entries with the largest remainder `a * budget mod sum`, ties to the smaller key. Results never exceed the
 * original amounts and are the same whatever order the entries come in. Keys must be unique.
 */
export function scaleToBudget(amounts: readonly KeyedAmount[], budget: bigint): bigint[] {
  requireArgument(
    typeof budget === 'bigint' && budget >= 0n,
    `budget must be a non-negative bigint, got ${String(budget)}`,
  );
  requireArgument(Array.isArray(amounts), 'amounts must be an array');
  const keys = new Set<string>();
  let sum = 0n;
  // Checked before any message is built: the messages JSON.stringify the key, and this loop can see a million.
  for (const { key, amount } of amounts) {
    if (typeof key !== 'string') throw new InvalidArgumentError(`every amount needs a string key, got ${typeof key}`);
    if (keys.has(key)) throw new InvalidArgumentError(`duplicate key ${JSON.stringify(key)}`);
    if (!(typeof amount === 'bigint' && amount >= 0n)) {
      throw new InvalidArgumentError(
        `amount for ${JSON.stringify(key)} must be a non-negative bigint, got ${String(amount)}`,
      );
    }
    keys.add(key);
    sum += amount;
  }
  const values = amounts.map((a) => a.amount);
  if (sum <= budget) return values;
  return largestRemainder(values, sum, budget, (i, j) =>
    compareStrings((amounts[i] as KeyedAmount).key, (amounts[j] as KeyedAmount).key),
  );
}

/**
 * The scaling step of {@link scaleToBudget}, for amounts already known to be non-negative bigints summing to `sum`,
 * which exceeds `budget`. `compareKeys(i, j)` orders the (distinct) keys of entries `i` and `j` like
 * {@link compareStrings}; it is only consulted to break ties between equal remainders.
 */
export function largestRemainder(
  amounts: readonly bigint[],
  sum: bigint,
  budget: bigint,
  compareKeys: (i: number, j: number) => number,
): bigint[] {
  const count = amounts.length;
  const result: bigint[] = [];
  const remainders: bigint[] = [];
  // Only entries with a nonzero remainder can get a leftover unit.
  const candidates: number[] = [];
  let floorSum = 0n;
  for (let i = 0; i < count; i++) {
    const product = (amounts[i] as bigint) * budget;
    const floor = product / sum;
    // One division per entry: the remainder follows from the floor.
    const remainder = product - floor * sum;
    result.push(floor);
    remainders.push(remainder);
    floorSum += floor;
    if (remainder !== 0n) candidates.push(i);
  }
  // Sum of remainders / sum: fewer than the number of entries with a remainder, so it fits a plain number.
  const leftover = Number(budget - floorSum);
  invariant(leftover <= candidates.length, 'largest remainder: leftover exceeds remainders');
  if (leftover > 0) {
    // The winners are the first `leftover` entries by remainder (largest first), then key. Which ones they are
    // does not depend on how they are found, so a selection (linear on average) replaces sorting every entry.
    selectFirst(candidates, leftover, (i, j) => {
      const a = remainders[i] as bigint;
      const b = remainders[j] as bigint;
      return a > b ? -1 : a < b ? 1 : compareKeys(i, j);
    });
    for (let k = 0; k < leftover; k++) {
      const winner = candidates[k] as number;
      result[winner] = (result[winner] as bigint) + 1n;
    }
  }
  invariant(sumAmounts(result) === budget, 'largest remainder: scaled amounts do not sum to the budget');
  return result;
}

/**
 * Reorders `items` so that its first `count` elements are the `count` smallest under `compare` (in no particular
 * order). `compare` must be a strict total order: 0 only for an element against itself. Hoare's selection with a
 * median-of-three pivot; should the range still be open after `maxRounds` partitions (adversarial input), it is
 * sorted instead, which bounds the cost at O(n log n).
 */
export function selectFirst<T>(
  items: T[],
  count: number,
  compare: (a: T, b: T) => number,
  maxRounds = 2 * Math.ceil(Math.log2(items.length)) + 16,
): void {
  if (count <= 0 || count >= items.length) return;
  // Element `count` in sorted position splits the smallest `count` from the rest.
  const target = count;
  let lo = 0;
  let hi = items.length - 1;
  let rounds = maxRounds;
  while (lo < hi) {
    if (rounds-- === 0) {
      const sorted = items.slice(lo, hi + 1).sort(compare);
      for (let k = 0; k < sorted.length; k++) items[lo + k] = sorted[k] as T;
      return;
    }
    const pivot = medianOfThree(items[lo] as T, items[(lo + hi) >>> 1] as T, items[hi] as T, compare);
    let i = lo;
    let j = hi;
    while (i <= j) {
      // The pivot lies in [lo, hi], so neither scan can leave the range.
      while (compare(items[i] as T, pivot) < 0) i++;
      while (compare(items[j] as T, pivot) > 0) j--;
      if (i <= j) {
        const swap = items[i] as T;
        items[i] = items[j] as T;
        items[j] = swap;
        i++;
        j--;
      }
    }
    // Now items[lo..j] <= pivot <= items[i..hi], and anything between j and i equals the pivot.
    if (j < target) lo = i;
    if (target < i) hi = j;
  }
}

function medianOfThree<T>(a: T, b: T, c: T, compare: (a: T, b: T) => number): T {
  if (compare(a, b) < 0) {
    if (compare(b, c) < 0) return b;
    return compare(a, c) < 0 ? c : a;
  }
  if (compare(a, c) < 0) return a;
  return compare(b, c) < 0 ? c : b;
}

/** Sum of bigint amounts. */
export function sumAmounts(amounts: Iterable<bigint>): bigint {
  let sum = 0n;
  for (const amount of amounts) sum += amount;
  return sum;
}

/**
 * Scales the `amount` of each entry in place so their sum fits `budget` ({@link scaleToBudget}, keyed by `keyOf`).
 * Returns true when the sum exceeded the budget and amounts were scaled.
 */
export function scaleEntriesToBudget<Entry extends { amount: bigint }>(
  entries: readonly Entry[],
  keyOf: (entry: Entry) => string,
  budget: bigint,
): boolean {
  const scaled = scaleToBudget(
    entries.map((entry) => ({ key: keyOf(entry), amount: entry.amount })),
    budget,
  );
  let changed = false;
  entries.forEach((entry, i) => {
    const amount = scaled[i] as bigint;
    changed ||= amount !== entry.amount;
    entry.amount = amount;
  });
  return changed;
}
