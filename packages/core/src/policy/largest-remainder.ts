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
  requireArgument(
    typeof budget === 'bigint' && budget >= 0n,
    `budget must be a non-negative bigint, got ${String(budget)}`,
  );
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
  const leftover = Number(budget - sumAmounts(scaled.map((s) => s.floor)));
  const byRemainder = [...scaled].sort((a, b) =>
    a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : compareStrings(a.key, b.key),
  );
  const result = scaled.map((s) => s.floor);
  for (let i = 0; i < leftover; i++) {
    const winner = byRemainder[i];
    invariant(winner !== undefined && winner.remainder > 0n, 'largest remainder: leftover exceeds remainders');
    result[winner.index] = winner.floor + 1n;
  }
  invariant(sumAmounts(result) === budget, 'largest remainder: scaled amounts do not sum to the budget');
  return result;
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
