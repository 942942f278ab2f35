import { invariant, requireArgument } from '../errors.js';
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
  requireArgument(typeof budget === 'bigint' && budget >= 0n, `budget must be a non-negative bigint, got ${String(budget)}`);
  requireArgument(Array.isArray(amounts), 'amounts must be an array');
  const keys = new Set<string>();
  let sum = 0n;
  for (const { key, amount } of amounts) {
    requireArgument(typeof key === 'string', `every amount needs a string key, got ${typeof key}`);
    requireArgument(!keys.has(key), `duplicate key ${JSON.stringify(key)}`);
    requireArgument(
      typeof amount === 'bigint' && amount >= 0n,
      `amount for ${JSON.stringify(key)} must be a non-negative bigint, got ${String(amount)}`,
    );
    keys.add(key);
    sum += amount;
  }
  if (sum <= budget) return amounts.map((a) => a.amount);

  const scaled = amounts.map(({ key, amount }, index) => ({
    index,
    key,
    floor: (amount * budget) / sum,
    remainder: (amount * budget) % sum,
  }));
  // Sum of remainders / sum: fewer than the number of entries with a remainder, so it fits a plain number.
  const leftover = Number(budget - scaled.reduce((acc, s) => acc + s.floor, 0n));
  const byRemainder = [...scaled].sort(
    (a, b) => (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : compareStrings(a.key, b.key)),
  );
  const result = scaled.map((s) => s.floor);
  for (let i = 0; i < leftover; i++) {
    const winner = byRemainder[i];
    invariant(winner !== undefined && winner.remainder > 0n, 'largest remainder: leftover exceeds remainders');
    result[winner.index] = winner.floor + 1n;
  }
  invariant(
    result.reduce((acc, r) => acc + r, 0n) === budget,
    'largest remainder: scaled amounts do not sum to the budget',
  );
  return result;
}

/** Each amount limited to `cap` (`min(amount, cap)`), in the same order. */
export function capEach(amounts: readonly bigint[], cap: bigint): bigint[] {
  requireArgument(typeof cap === 'bigint' && cap >= 0n, `cap must be a non-negative bigint, got ${String(cap)}`);
  return amounts.map((amount) => (amount < cap ? amount : cap));
}

/** Sum of bigint amounts. */
export function sumAmounts(amounts: Iterable<bigint>): bigint {
  let sum = 0n;
  for (const amount of amounts) sum += amount;
  return sum;
}
