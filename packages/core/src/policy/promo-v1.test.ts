import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { policyParamsHash, TOKEN } from './params.js';
import { allocatePromoV1, promoWindowOf } from './promo-v1.js';
import { type PromoV1ParamsInput, resolvePromoV1Params } from './promo-v1-params.js';
import type { EpochParticipationRow, Exclusions } from './types.js';

const DAY = 1_699_920_000; // a multiple of 86400: a UTC day, so a 24-epoch window of hours
const H = 3600;
const row = (epoch: number, channel: string, viewer: string, activeMinutes = 1, bits = 0): EpochParticipationRow => ({
  epoch,
  channel,
  viewer,
  activeMinutes,
  messages: 0,
  subs: 0,
  resubs: 0,
  giftedSubs: 0,
  bits,
  raidViewers: 0,
});
const none: Exclusions = { suppressed: [], bots: [] };
const params: PromoV1ParamsInput = { windowEpochs: 24, windowBudget: 1_000_000n * TOKEN };
const run = (rows: EpochParticipationRow[], p: PromoV1ParamsInput = params, exclusions = none) =>
  allocatePromoV1({ rows, exclusions, params: p });

function expectInvalid(fn: () => unknown, message: string): void {
  expect(fn).toThrow(InvalidArgumentError);
  expect(fn).toThrow(message);
}

describe('allocatePromoV1', () => {
  it('pays base + 10 tokens per (epoch, channel) participation, capped at 1000 tokens, per viewer', () => {
    const many = Array.from({ length: 24 }, (_, i) =>
      ['a', 'b', 'c', 'd'].map((c) => row(DAY + i * H, c, 'whale')),
    ).flat();
    const rows = [row(DAY, 'a', 'v'), row(DAY, 'b', 'v'), row(DAY + H, 'a', 'v'), row(DAY, 'a', 'w', 0, 500), ...many];
    const result = run(rows);
    expect(result).toEqual({
      policyId: 'promo-v1',
      paramsHash: policyParamsHash('promo-v1', resolvePromoV1Params(params)),
      allocations: [
        { channel: null, viewer: 'v', points: 3n, amount: 130n * TOKEN },
        { channel: null, viewer: 'whale', points: 96n, amount: 1000n * TOKEN }, // 100 + 960 capped
      ],
      total: 1130n * TOKEN,
      scaledByBudget: false,
    });
  });

  it('scales everyone down to the window budget, keyed by viewer', () => {
    const rows = [row(DAY, 'a', '1'), row(DAY, 'a', '2'), row(DAY, 'a', '3')];
    const result = run(rows, { windowEpochs: 1, windowBudget: 100n, base: 50n, perParticipation: 0n });
    expect(result.allocations.map((a) => [a.viewer, a.amount])).toEqual([
      ['1', 34n],
      ['2', 33n],
      ['3', 33n],
    ]);
    expect(result).toMatchObject({ total: 100n, scaledByBudget: true });
  });

  it('drops excluded viewers first and lists viewers with no participation nowhere', () => {
    const rows = [row(DAY, 'a', 'bot', -1), row(DAY, 'a', 'bot'), row(DAY, 'a', 'quiet', 0, 99), row(DAY, 'a', 'v')];
    expect(run(rows, params, { suppressed: [], bots: ['bot'] }).allocations.map((a) => a.viewer)).toEqual(['v']);
    expect(run([], params)).toMatchObject({ allocations: [], total: 0n, scaledByBudget: false });
  });

  it('requires rows on epoch boundaries, within one window, once per (epoch, channel, viewer)', () => {
    expectInvalid(
      () => run([row(DAY, 'a', 'v'), row(DAY + 24 * H, 'a', 'v')]),
      `promo-v1 rows span more than one window of 24 epochs: windows ${DAY} and ${DAY + 86_400}`,
    );
    expectInvalid(
      () => run([row(DAY + 1, 'a', 'v')]),
      `row (channel "a", viewer "v"): epoch ${DAY + 1} is not the start of a 3600 s epoch`,
    );
    expectInvalid(
      () => run([row(DAY, 'a', 'v'), row(DAY, 'a', 'v', 5)]),
      `duplicate row (channel "a", viewer "v") in epoch ${DAY}`,
    );
    expectInvalid(() => run([row(DAY, 'a', 'v', 1.5)]), 'activeMinutes must be a non-negative safe integer, got 1.5');
    expectInvalid(
      () => run([row(DAY, 'a', 'v')], { windowBudget: 1n } as never),
      'promo-v1 params.windowEpochs is required',
    );
    expect(run([row(DAY, 'a', 'v'), row(DAY + 23 * H, 'a', 'v')]).allocations[0]?.points).toBe(2n);
  });

  it('aligns windows to multiples of windowEpochs x epochSeconds', () => {
    expect(promoWindowOf(DAY + 5 * H, 24, H)).toBe(DAY);
    expect(promoWindowOf(DAY + 5 * H, 2, H)).toBe(DAY + 4 * H);
    expect(promoWindowOf(DAY + 300, 3, 100)).toBe(DAY + 300);
    expectInvalid(() => promoWindowOf(DAY, 1.5, H), 'windowEpochs must be a positive safe integer, got 1.5');
    expectInvalid(
      () => promoWindowOf(DAY, 2, 0),
      'epoch length must be a positive safe integer number of seconds, got 0',
    );
  });
});

describe('promo-v1 properties', () => {
  const VIEWERS = ['1', '2', '3', '4'];
  const rowsArb = fc
    .uniqueArray(
      fc.record({
        epoch: fc.nat({ max: 5 }).map((i) => DAY + i * H),
        channel: fc.constantFrom('a', 'b'),
        viewer: fc.constantFrom(...VIEWERS),
        activeMinutes: fc.nat({ max: 3 }),
      }),
      { selector: (r) => `${r.epoch}|${r.channel}|${r.viewer}`, maxLength: 30 },
    )
    .map((rows) => rows.map((r) => row(r.epoch, r.channel, r.viewer, r.activeMinutes)));
  const paramsArb = fc.record({
    windowEpochs: fc.constant(6),
    windowBudget: fc.bigInt({ min: 1n, max: 400n }),
    base: fc.bigInt({ min: 0n, max: 50n }),
    perParticipation: fc.bigInt({ min: 0n, max: 20n }),
    maxPerViewer: fc.bigInt({ min: 1n, max: 150n }),
  });

  it('never exceeds maxPerViewer or the window budget, and ignores row order', () => {
    const arb = rowsArb.chain((rows) =>
      fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }), paramsArb),
    );
    fc.assert(
      fc.property(arb, ([rows, shuffled, p]) => {
        const result = run(rows, p);
        expect(run(shuffled, p)).toEqual(result);
        expect(result.total <= p.windowBudget).toBe(true);
        for (const a of result.allocations)
          expect(a.amount > 0n && a.amount <= p.maxPerViewer && a.channel === null).toBe(true);
      }),
    );
  });

  // One scaling step in which only the raised viewer's amount grows: largest remainder never lowers it.
  it("never lowers a viewer's amount when they take part more", () => {
    const arb = fc.tuple(
      rowsArb,
      paramsArb,
      fc.constantFrom(...VIEWERS),
      fc.nat({ max: 5 }),
      fc.constantFrom('a', 'b'),
    );
    fc.assert(
      fc.property(arb, ([rows, p, viewer, epochIndex, channel]) => {
        const epoch = DAY + epochIndex * H;
        const others = rows.filter((r) => !(r.viewer === viewer && r.epoch === epoch && r.channel === channel));
        const amountOf = (rs: EpochParticipationRow[]) =>
          run(rs, p).allocations.find((a) => a.viewer === viewer)?.amount ?? 0n;
        expect(amountOf([...others, row(epoch, channel, viewer, 1)]) >= amountOf(others)).toBe(true);
      }),
    );
  });
});
