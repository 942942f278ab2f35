import { U64_MAX } from '../bytes.js';
import { invariant } from '../errors.js';
import { compareStrings, joinKey } from './rows.js';
import type { Allocation, PolicyId, PolicyResult } from './types.js';

/** Allocation order: channel (null first), then viewer, by plain string comparison. */
export function compareAllocations(a: Allocation, b: Allocation): number {
  if (a.channel !== b.channel) {
    if (a.channel === null) return -1;
    if (b.channel === null) return 1;
    return compareStrings(a.channel, b.channel);
  }
  return compareStrings(a.viewer, b.viewer);
}

/**
 * Builds a {@link PolicyResult}: drops zero amounts, sorts, totals, and checks the promises every policy makes (no
 * duplicate payee, every amount in 1..U64_MAX, total within `budget`). A failed check is a bug here, not bad input.
 */
export function finishResult(
  policyId: PolicyId,
  paramsHash: string,
  allocations: readonly Allocation[],
  budget: bigint,
  scaledByBudget: boolean,
): PolicyResult {
  const kept: Allocation[] = [];
  for (const a of allocations) {
    if (a.amount !== 0n) kept.push({ channel: a.channel, viewer: a.viewer, points: a.points, amount: a.amount });
  }
  kept.sort(compareAllocations);
  // Sorted, two allocations for one payee would sit next to each other, except that a null channel and '' name
  // the same payee (joinKey(channel ?? '', viewer)) and sort apart: only then is a set of every payee needed.
  let nullChannel = false;
  let emptyChannel = false;
  for (const a of kept) {
    if (a.channel === null) nullChannel = true;
    else if (a.channel === '') emptyChannel = true;
  }
  const payees = nullChannel && emptyChannel ? new Set<string>() : undefined;
  let previous: Allocation | undefined;
  let total = 0n;
  for (const a of kept) {
    // Checked before the message is built: a million allocations would otherwise format a million amounts.
    if (!(a.amount > 0n && a.amount <= U64_MAX)) invariant(false, `${policyId}: amount ${a.amount} out of u64 range`);
    if (payees === undefined) {
      const repeated = previous !== undefined && previous.channel === a.channel && previous.viewer === a.viewer;
      invariant(!repeated, `${policyId}: two allocations for one payee`);
      previous = a;
    } else {
      const payee = joinKey(a.channel ?? '', a.viewer);
      invariant(!payees.has(payee), `${policyId}: two allocations for one payee`);
      payees.add(payee);
    }
    total += a.amount;
  }
  invariant(total <= budget, `${policyId}: total ${total} exceeds budget ${budget}`);
  return { policyId, paramsHash, allocations: kept, total, scaledByBudget };
}
