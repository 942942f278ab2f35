import { U64_MAX } from '../bytes.js';
import { requireArgument } from '../errors.js';
import { scaleEntriesToBudget } from './largest-remainder.js';
import { policyParamsHash } from './params.js';
import { finishResult } from './result.js';
import { applyExclusions, describeRow, joinKey, validateParticipationRow } from './rows.js';
import type { ParticipationRow, Policy, PolicyInput, PolicyResult } from './types.js';
import {
  channelBudgetOf,
  resolveWeightedV1Params,
  type WeightedV1Params,
  type WeightedV1ParamsInput,
} from './weighted-v1-params.js';

/**
 * weighted-v1 points of one row: 100 per active minute (at most `maxActiveMinutes` counted), 1000 per sub and per
 * resub, 500 per gifted sub, 1 per bit, 10 per raid viewer. Messages are not counted in v1.
 */
export function weightedV1Points(row: ParticipationRow, maxActiveMinutes: number): bigint {
  return (
    100n * BigInt(Math.min(row.activeMinutes, maxActiveMinutes)) +
    1000n * BigInt(row.subs) +
    1000n * BigInt(row.resubs) +
    500n * BigInt(row.giftedSubs) +
    BigInt(row.bits) +
    10n * BigInt(row.raidViewers)
  );
}

interface Entry {
  readonly channel: string;
  readonly viewer: string;
  readonly points: bigint;
  amount: bigint;
}

/**
 * Runs weighted-v1 over one epoch's rows (one row per channel and viewer; a duplicate is an error). Steps, in order:
 * drop excluded viewers; points per row (rows with 0 points are dropped); amount = points x ratePerPoint; limit to
 * capPerViewerPerChannel; scale each channel over its budget down to it (keyed by viewer); scale each viewer over
 * capPerViewerPerEpoch down to it (keyed by channel); scale everything over epochBudget down to it (keyed by
 * channel NUL viewer). Scaling is largest-remainder, so a scaled group sums to exactly its limit. Allocations whose
 * amount rounds to 0 are dropped; the result depends only on the set of rows, not their order.
 *
 * Channel budgets come before the per-epoch cap on purpose: the other way round, the cap would move a capped
 * viewer's amount into the channel they were more active in and that channel's budget would then shrink it, so
 * doing more could lower their total (a test pins the example).
 */
export function allocateWeightedV1(input: PolicyInput<ParticipationRow, WeightedV1ParamsInput>): PolicyResult {
  requireArgument(typeof input === 'object' && input !== null, 'weighted-v1 input must be an object');
  const params = resolveWeightedV1Params(input.params);
  const entries = rowEntries(applyExclusions(input.rows, input.exclusions), params);

  let scaledByBudget = false;
  for (const [channel, group] of groupBy(entries, (e) => e.channel)) {
    const budget = channelBudgetOf(params.channelBudgets, channel);
    if (budget !== undefined && scaleEntriesToBudget(group, (e) => e.viewer, budget)) scaledByBudget = true;
  }
  const perEpochCap = params.capPerViewerPerEpoch;
  if (perEpochCap !== undefined) {
    for (const group of groupBy(entries, (e) => e.viewer).values()) {
      scaleEntriesToBudget(group, (e) => e.channel, perEpochCap);
    }
  }
  if (scaleEntriesToBudget(entries, (e) => joinKey(e.channel, e.viewer), params.epochBudget)) scaledByBudget = true;

  const paramsHash = policyParamsHash('weighted-v1', params);
  return finishResult('weighted-v1', paramsHash, entries, params.epochBudget, scaledByBudget);
}

function rowEntries(rows: readonly ParticipationRow[], params: WeightedV1Params): Entry[] {
  const seen = new Set<string>();
  const entries: Entry[] = [];
  for (const row of rows) {
    validateParticipationRow(row);
    const key = joinKey(row.channel, row.viewer);
    requireArgument(!seen.has(key), `duplicate ${describeRow(row)}: weighted-v1 takes one row per channel and viewer`);
    seen.add(key);
    const points = weightedV1Points(row, params.maxActiveMinutes);
    requireArgument(points <= U64_MAX, `${describeRow(row)}: ${points} points do not fit a u64`);
    if (points === 0n) continue;
    const amount = points * params.ratePerPoint;
    const cap = params.capPerViewerPerChannel;
    entries.push({
      channel: row.channel,
      viewer: row.viewer,
      points,
      amount: cap !== undefined && amount > cap ? cap : amount,
    });
  }
  return entries;
}

function groupBy(entries: readonly Entry[], keyOf: (entry: Entry) => string): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  }
  return groups;
}

/** The weighted-v1 policy: per (channel, viewer) rewards for one epoch, weighted by kind of participation. */
export const weightedV1Policy: Policy<ParticipationRow, WeightedV1ParamsInput, WeightedV1Params> = Object.freeze({
  id: 'weighted-v1',
  resolveParams: resolveWeightedV1Params,
  paramsHash: (params: WeightedV1ParamsInput) => policyParamsHash('weighted-v1', resolveWeightedV1Params(params)),
  allocate: allocateWeightedV1,
});
