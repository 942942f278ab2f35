// allocateWeightedV1 against a straightforward reference (public scaleToBudget keyed by viewer, channel and
// joinKey(channel, viewer), one final sort): same allocations in the same order, with channel names that are
// prefixes of each other, mixed case and digits, so the channel-then-viewer tie-break must match the joined key's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleToBudget } from './largest-remainder.js';
import { compareAllocations } from './result.js';
import { joinKey } from './rows.js';
import type { Allocation, ParticipationRow } from './types.js';
import { allocateWeightedV1, weightedV1Points } from './weighted-v1.js';
import { channelBudgetOf, resolveWeightedV1Params, type WeightedV1ParamsInput } from './weighted-v1-params.js';

interface RefEntry {
  channel: string;
  viewer: string;
  points: bigint;
  amount: bigint;
}

function scaleGroup(group: RefEntry[], keyOf: (e: RefEntry) => string, budget: bigint): boolean {
  const scaled = scaleToBudget(
    group.map((e) => ({ key: keyOf(e), amount: e.amount })),
    budget,
  );
  let changed = false;
  group.forEach((e, i) => {
    changed ||= scaled[i] !== e.amount;
    e.amount = scaled[i] as bigint;
  });
  return changed;
}

function groups(entries: RefEntry[], keyOf: (e: RefEntry) => string): RefEntry[][] {
  const map = new Map<string, RefEntry[]>();
  for (const e of entries) map.set(keyOf(e), [...(map.get(keyOf(e)) ?? []), e]);
  return [...map.values()];
}

function reference(rows: ParticipationRow[], input: WeightedV1ParamsInput) {
  const params = resolveWeightedV1Params(input);
  const entries: RefEntry[] = [];
  for (const row of rows) {
    const points = weightedV1Points(row, params.maxActiveMinutes);
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
  let scaledByBudget = false;
  for (const group of groups(entries, (e) => e.channel)) {
    const budget = channelBudgetOf(params.channelBudgets, (group[0] as RefEntry).channel);
    if (budget !== undefined && scaleGroup(group, (e) => e.viewer, budget)) scaledByBudget = true;
  }
  const cap = params.capPerViewerPerEpoch;
  if (cap !== undefined) for (const group of groups(entries, (e) => e.viewer)) scaleGroup(group, (e) => e.channel, cap);
  if (scaleGroup(entries, (e) => joinKey(e.channel, e.viewer), params.epochBudget)) scaledByBudget = true;
  const allocations: Allocation[] = entries
    .filter((e) => e.amount !== 0n)
    .map((e) => ({ channel: e.channel, viewer: e.viewer, points: e.points, amount: e.amount }))
    .sort(compareAllocations);
  return { allocations, total: allocations.reduce((s, a) => s + a.amount, 0n), scaledByBudget };
}

const CHANNELS = ['a', 'ab', 'a b', 'B', 'b', '10', '9', '1'];
const VIEWERS = ['1', '10', '2', 'x', 'X', 'xy'];
const amount = (max: bigint) => fc.bigInt({ min: 1n, max });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const rowsArb = fc
  .uniqueArray(
    fc.record({
      channel: fc.constantFrom(...CHANNELS),
      viewer: fc.constantFrom(...VIEWERS),
      activeMinutes: fc.nat({ max: 70 }),
      subs: fc.nat({ max: 1 }),
      bits: fc.nat({ max: 50 }),
    }),
    { selector: (r) => `${r.channel}|${r.viewer}`, maxLength: 40 },
  )
  .map((rows) => rows.map((r): ParticipationRow => ({ ...r, messages: 0, resubs: 0, giftedSubs: 0, raidViewers: 0 })));
const paramsArb: fc.Arbitrary<WeightedV1ParamsInput> = fc.record({
  epochBudget: amount(20_000n),
  ratePerPoint: amount(3n),
  maxActiveMinutes: fc.integer({ min: 1, max: 60 }),
  capPerViewerPerChannel: optional(amount(8_000n)),
  capPerViewerPerEpoch: optional(amount(15_000n)),
  channelBudgets: optional(
    fc.record({
      default: optional(amount(9_000n)),
      byChannel: fc.dictionary(fc.constantFrom(...CHANNELS), amount(9_000n)),
    }),
  ),
});

describe('weighted-v1 against a reference implementation', () => {
  it('gives the same allocations, order, total and scaled flag', () => {
    fc.assert(
      fc.property(rowsArb, paramsArb, (rows, params) => {
        const result = allocateWeightedV1({ rows, exclusions: { suppressed: [], bots: [] }, params });
        const expected = reference(rows, params);
        expect(result.allocations).toEqual(expected.allocations);
        expect(result.total).toBe(expected.total);
        expect(result.scaledByBudget).toBe(expected.scaledByBudget);
      }),
      { numRuns: 1000 },
    );
  });

  it('computes points exactly on both sides of the plain-number path', () => {
    const counter = fc.oneof(fc.nat({ max: 10 }), fc.constantFrom(2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER));
    fc.assert(
      fc.property(
        fc.record({
          activeMinutes: counter,
          subs: counter,
          resubs: counter,
          giftedSubs: counter,
          bits: counter,
          raidViewers: counter,
        }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (counters, maxActiveMinutes) => {
          const row: ParticipationRow = { channel: 'c', viewer: 'v', messages: 0, ...counters };
          const expected =
            100n * BigInt(Math.min(row.activeMinutes, maxActiveMinutes)) +
            1000n * BigInt(row.subs) +
            1000n * BigInt(row.resubs) +
            500n * BigInt(row.giftedSubs) +
            BigInt(row.bits) +
            10n * BigInt(row.raidViewers);
          expect(weightedV1Points(row, maxActiveMinutes)).toBe(expected);
        },
      ),
    );
    // Values no validated row has still fail the way the bigint expression does.
    const bad = {
      channel: 'c',
      viewer: 'v',
      messages: 0,
      activeMinutes: 1.5,
      subs: 0,
      resubs: 0,
      giftedSubs: 0,
      bits: 0,
      raidViewers: 0,
    };
    expect(() => weightedV1Points(bad, 60)).toThrow(RangeError);
  });
});
