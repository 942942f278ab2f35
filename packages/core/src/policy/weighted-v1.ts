import { U64_MAX } from '../bytes.js';
import { InvalidArgumentError, requireArgument } from '../errors.js';
import { largestRemainder } from './largest-remainder.js';
import { policyParamsHash } from './params.js';
import { finishResult } from './result.js';
import { applyExclusions, compareStrings, describeRow, validateParticipationRow } from './rows.js';
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
  const minutes = Math.min(row.activeMinutes, maxActiveMinutes);
  const { subs, resubs, giftedSubs, bits, raidViewers } = row;
  // With every counter an integer below 2^32 the sum stays below 2611 x 2^32 < 2^53, so plain numbers add it up
  // exactly and one BigInt conversion replaces six (this runs for every row of an epoch). Anything else (larger
  // counters, or values no row validation would pass) takes the bigint expression, errors included.
  if (
    isSmall(minutes) &&
    isSmall(subs) &&
    isSmall(resubs) &&
    isSmall(giftedSubs) &&
    isSmall(bits) &&
    isSmall(raidViewers)
  ) {
    return BigInt(100 * minutes + 1000 * subs + 1000 * resubs + 500 * giftedSubs + bits + 10 * raidViewers);
  }
  return (
    100n * BigInt(minutes) +
    1000n * BigInt(subs) +
    1000n * BigInt(resubs) +
    500n * BigInt(giftedSubs) +
    BigInt(bits) +
    10n * BigInt(raidViewers)
  );
}

/** Whether `value` is an integer in 0..2^32-1 (`>>> 0` maps every other number elsewhere; NaN to 0). */
function isSmall(value: number): boolean {
  return typeof value === 'number' && value >>> 0 === value;
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
    if (budget !== undefined && scaleGroup(group, byViewer, budget)) scaledByBudget = true;
  }
  const perEpochCap = params.capPerViewerPerEpoch;
  if (perEpochCap !== undefined) {
    for (const group of groupBy(entries, (e) => e.viewer).values()) {
      scaleGroup(group, byChannel, perEpochCap);
    }
  }
  if (scaleGroup(entries, byChannelThenViewer, params.epochBudget)) scaledByBudget = true;

  const paramsHash = policyParamsHash('weighted-v1', params);
  return finishResult('weighted-v1', paramsHash, entries, params.epochBudget, scaledByBudget);
}

function rowEntries(rows: readonly ParticipationRow[], params: WeightedV1Params): Entry[] {
  // Duplicates are found per channel, with the viewers seen in it: no joined key string is built per row. Rows
  // usually come grouped by channel, so the last channel's set is kept at hand.
  const viewersByChannel = new Map<string, Set<string>>();
  let lastChannel: string | undefined;
  let lastViewers = new Set<string>();
  const entries: Entry[] = [];
  const cap = params.capPerViewerPerChannel;
  for (const row of rows) {
    validateParticipationRow(row);
    const { channel, viewer } = row;
    if (channel !== lastChannel) {
      let viewers = viewersByChannel.get(channel);
      if (viewers === undefined) {
        viewers = new Set<string>();
        viewersByChannel.set(channel, viewers);
      }
      lastChannel = channel;
      lastViewers = viewers;
    }
    // One lookup: the set only grows when the viewer is new to this channel.
    const seen = lastViewers.size;
    lastViewers.add(viewer);
    if (lastViewers.size === seen) {
      throw new InvalidArgumentError(`duplicate ${describeRow(row)}: weighted-v1 takes one row per channel and viewer`);
    }
    const points = weightedV1Points(row, params.maxActiveMinutes);
    if (points > U64_MAX) throw new InvalidArgumentError(`${describeRow(row)}: ${points} points do not fit a u64`);
    if (points === 0n) continue;
    const amount = points * params.ratePerPoint;
    entries.push({ channel, viewer, points, amount: cap !== undefined && amount > cap ? cap : amount });
  }
  return entries;
}

/*
 * Tie-breaks for the three scaling steps. Each group's keys are distinct (one row per channel and viewer), and
 * comparing channel then viewer orders entries exactly as comparing joinKey(channel, viewer) would: NUL sorts
 * below every other character and never occurs in either.
 */
const byViewer = (a: Entry, b: Entry): number => compareStrings(a.viewer, b.viewer);
const byChannel = (a: Entry, b: Entry): number => compareStrings(a.channel, b.channel);
const byChannelThenViewer = (a: Entry, b: Entry): number =>
  a.channel === b.channel ? compareStrings(a.viewer, b.viewer) : compareStrings(a.channel, b.channel);

/**
 * scaleEntriesToBudget for a group built here: the same largest-remainder result, without re-checking what rows
 * already guarantee (distinct keys, non-negative bigint amounts) or building a key string per entry. Returns true
 * when the group was over budget and its amounts were scaled.
 */
function scaleGroup(group: Entry[], compareKeys: (a: Entry, b: Entry) => number, budget: bigint): boolean {
  let sum = 0n;
  for (const entry of group) sum += entry.amount;
  if (sum <= budget) return false;
  const scaled = largestRemainder(
    group.map((entry) => entry.amount),
    sum,
    budget,
    (i, j) => compareKeys(group[i] as Entry, group[j] as Entry),
  );
  for (let i = 0; i < group.length; i++) (group[i] as Entry).amount = scaled[i] as bigint;
  return true;
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
