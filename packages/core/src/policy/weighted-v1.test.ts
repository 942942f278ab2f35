import { describe, expect, it } from 'vitest';
import { U64_MAX } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { policyParamsHash } from './params.js';
import type { Exclusions, ParticipationRow } from './types.js';
import { allocateWeightedV1, weightedV1Points } from './weighted-v1.js';
import { resolveWeightedV1Params, type WeightedV1ParamsInput } from './weighted-v1-params.js';

const row = (channel: string, viewer: string, over: Partial<ParticipationRow> = {}): ParticipationRow => ({
  channel,
  viewer,
  activeMinutes: 0,
  messages: 0,
  subs: 0,
  resubs: 0,
  giftedSubs: 0,
  bits: 0,
  raidViewers: 0,
  ...over,
});
const none: Exclusions = { suppressed: [], bots: [] };
const run = (rows: ParticipationRow[], params: WeightedV1ParamsInput, exclusions = none) =>
  allocateWeightedV1({ rows, exclusions, params });
/** [channel, viewer, amount] triples, for compact expectations. */
const amounts = (result: ReturnType<typeof run>) => result.allocations.map((a) => [a.channel, a.viewer, a.amount]);

describe('weighted-v1 points', () => {
  it('weights minutes (capped), subs, resubs, gifts, bits and raids; messages count for nothing', () => {
    const r = row('c', 'v', {
      activeMinutes: 75,
      messages: 999,
      subs: 2,
      resubs: 1,
      giftedSubs: 3,
      bits: 250,
      raidViewers: 7,
    });
    expect(weightedV1Points(r, 60)).toBe(6000n + 2000n + 1000n + 1500n + 250n + 70n);
    expect(weightedV1Points(r, 100)).toBe(7500n + 2000n + 1000n + 1500n + 250n + 70n);
    expect(weightedV1Points(row('c', 'v', { messages: 5 }), 60)).toBe(0n);
  });

  it('pays points x 0.8 tokens by default', () => {
    const result = run(
      [row('c', 'v', { activeMinutes: 75, subs: 2, resubs: 1, giftedSubs: 3, bits: 250, raidViewers: 7 })],
      {
        epochBudget: U64_MAX,
      },
    );
    expect(result).toEqual({
      policyId: 'weighted-v1',
      paramsHash: policyParamsHash('weighted-v1', resolveWeightedV1Params({ epochBudget: U64_MAX })),
      allocations: [{ channel: 'c', viewer: 'v', points: 10_820n, amount: 10_820n * 800_000_000n }],
      total: 8_656_000_000_000n,
      scaledByBudget: false,
    });
  });
});

describe('allocateWeightedV1', () => {
  it('drops zero-point rows and sorts by channel then viewer with plain string comparison', () => {
    const rows = [
      row('b', '9', { bits: 1 }),
      row('b', '10', { bits: 1 }),
      row('B', 'x', { bits: 1 }),
      row('a', 'idle', { messages: 40 }),
      row('a', 'z', { bits: 2 }),
    ];
    expect(amounts(run(rows, { epochBudget: 100n, ratePerPoint: 1n }))).toEqual([
      ['B', 'x', 1n],
      ['a', 'z', 2n],
      ['b', '10', 1n],
      ['b', '9', 1n],
    ]);
    expect(run([], { epochBudget: 1n })).toMatchObject({ allocations: [], total: 0n, scaledByBudget: false });
  });

  it('drops suppressed and bot viewers before anything else', () => {
    const rows = [
      row('c', 'ok', { bits: 1 }),
      row('c', 'bot', { bits: -1 }),
      row('c', 'bot'),
      row('c', 'quiet', { bits: 5 }),
    ];
    const result = run(rows, { epochBudget: 100n, ratePerPoint: 1n }, { suppressed: ['quiet'], bots: ['bot'] });
    expect(amounts(result)).toEqual([['c', 'ok', 1n]]);
  });

  it('rejects duplicate (channel, viewer) rows and rows that do not validate', () => {
    const dup = () => run([row('c', 'v', { bits: 1 }), row('c', 'v', { bits: 2 })], { epochBudget: 1n });
    expect(dup).toThrow(InvalidArgumentError);
    expect(dup).toThrow('duplicate row (channel "c", viewer "v"): weighted-v1 takes one row per channel and viewer');
    const bad = () => run([row('c', 'v', { subs: -1 })], { epochBudget: 1n });
    expect(bad).toThrow('row (channel "c", viewer "v"): subs must be a non-negative safe integer, got -1');
    const max = Number.MAX_SAFE_INTEGER;
    const huge = () => run([row('c', 'v', { subs: max, resubs: max, giftedSubs: max })], { epochBudget: 1n });
    expect(huge).toThrow('row (channel "c", viewer "v"): 22517998136852477500 points do not fit a u64');
    // Two counters at the safe-integer limit still fit: 2000 x (2^53 - 1) < 2^64.
    expect(run([row('c', 'v', { subs: max, resubs: max })], { epochBudget: 1n }).total).toBe(1n);
    expect(() => allocateWeightedV1(null as never)).toThrow('weighted-v1 input must be an object');
  });

  it('limits each (channel, viewer) to capPerViewerPerChannel', () => {
    const rows = [row('c', 'v', { bits: 500 }), row('c', 'w', { bits: 50 })];
    expect(amounts(run(rows, { epochBudget: 1000n, ratePerPoint: 1n, capPerViewerPerChannel: 100n }))).toEqual([
      ['c', 'v', 100n],
      ['c', 'w', 50n],
    ]);
  });

  it('scales a viewer over capPerViewerPerEpoch down to exactly the cap, keyed by channel, dropping zeros', () => {
    // v: a=3, b=1, sum 4 > cap 2 -> quotas 1.5 and 0.5; the tie on remainder goes to channel "a".
    const rows = [row('a', 'v', { bits: 3 }), row('b', 'v', { bits: 1 }), row('b', 'w', { bits: 9 })];
    const result = run(rows, { epochBudget: 1000n, ratePerPoint: 1n, capPerViewerPerEpoch: 2n });
    expect(amounts(result)).toEqual([
      ['a', 'v', 2n],
      ['b', 'w', 2n],
    ]);
    expect(result.scaledByBudget).toBe(false);
  });

  it('scales channels to their budgets (byChannel over default) and the epoch to its budget', () => {
    const rows = [
      row('big', '1', { bits: 60 }),
      row('big', '2', { bits: 40 }),
      row('small', '1', { bits: 30 }),
      row('free', '3', { bits: 7 }),
      row('__proto__', '4', { bits: 9 }), // a channel name that must stay an ordinary key
    ];
    const channelBudgets = { default: 10n, byChannel: { big: 50n, free: 1000n, ['__proto__']: 3n } };
    const result = run(rows, { epochBudget: 1000n, ratePerPoint: 1n, channelBudgets });
    expect(amounts(result)).toEqual([
      ['__proto__', '4', 3n],
      ['big', '1', 30n],
      ['big', '2', 20n],
      ['free', '3', 7n],
      ['small', '1', 10n],
    ]);
    expect(result.scaledByBudget).toBe(true);

    // 70 total over an epoch budget of 7: each gets a tenth.
    const scaled = run(rows, { epochBudget: 7n, ratePerPoint: 1n, channelBudgets });
    expect(amounts(scaled)).toEqual([
      ['big', '1', 3n],
      ['big', '2', 2n],
      ['free', '3', 1n],
      ['small', '1', 1n],
    ]);
    expect(scaled.total).toBe(7n);
  });

  it('keeps the total and every amount within u64 even when points x rate is far beyond it', () => {
    const rows = [row('c', 'v', { bits: Number.MAX_SAFE_INTEGER }), row('c', 'w', { bits: 1 })];
    const result = run(rows, { epochBudget: U64_MAX, ratePerPoint: U64_MAX });
    expect(result.total).toBe(U64_MAX);
    expect(result.scaledByBudget).toBe(true);
    expect(result.allocations.every((a) => a.amount > 0n && a.amount <= U64_MAX)).toBe(true);
  });
});
