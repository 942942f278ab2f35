import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EPOCH_SECONDS,
  epochEnd,
  epochOf,
  epochsBetween,
  isEpochStart,
  MAX_EPOCHS_BETWEEN,
  requireEpoch,
  sealReadiness,
} from './epoch.js';
import { InvalidArgumentError } from './errors.js';

// 1699999200 = 472222 * 3600, an hour boundary (1700000000 is not one).
const E = 1_699_999_200;
const H = DEFAULT_EPOCH_SECONDS;

function expectInvalid(run: () => unknown, message: string): void {
  expect(run).toThrow(InvalidArgumentError);
  expect(run).toThrow(message);
}

describe('epochOf / isEpochStart / requireEpoch / epochEnd', () => {
  it('floors to the epoch start, hourly by default', () => {
    expect(H).toBe(3600);
    expect(epochOf(E)).toBe(E);
    expect(epochOf(E + 1)).toBe(E);
    expect(epochOf(E + 3599)).toBe(E);
    expect(epochOf(E + 3600)).toBe(E + 3600);
    expect(epochOf(E - 1)).toBe(E - 3600);
    expect(epochOf(0)).toBe(0);
    expect(epochOf(1_700_000_000, 86_400)).toBe(1_699_920_000);
    expect(epochOf(59, 1)).toBe(59);
  });

  it('is exact up to the largest safe integer', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(epochOf(max, 3600)).toBe(max - (max % 3600));
    expect(epochOf(max, 3)).toBe(max - 1); // 2^53 - 1 is 1 more than a multiple of 3
    fc.assert(
      fc.property(fc.nat({ max }), fc.integer({ min: 1, max: 10_000_000 }), (t, len) => {
        const epoch = epochOf(t, len);
        return epoch <= t && t - epoch < len && isEpochStart(epoch, len);
      }),
    );
  });

  it('validates epoch ids: aligned, non-negative safe integers', () => {
    expect(isEpochStart(E)).toBe(true);
    expect(isEpochStart(E + 1)).toBe(false);
    expect(isEpochStart(-3600)).toBe(false);
    expect(isEpochStart(E + 0.5)).toBe(false);
    expect(isEpochStart(E + 60, 60)).toBe(true);
    expect(requireEpoch(E)).toBe(E);
    expectInvalid(
      () => requireEpoch(1_700_000_000),
      'epoch 1700000000 is not the start of a 3600 s epoch (it lies in 1699999200)',
    );
    expectInvalid(() => requireEpoch(E + 60, 120), `epoch ${E + 60} is not the start of a 120 s epoch`);
    expectInvalid(() => requireEpoch(-3600), 'epoch must be a non-negative safe integer (unix seconds), got -3600');
    expectInvalid(() => requireEpoch(NaN), 'epoch must be a non-negative safe integer (unix seconds), got NaN');
  });

  it('gives the exclusive end, which is the next epoch', () => {
    expect(epochEnd(E)).toBe(E + 3600);
    expect(epochEnd(E, 60)).toBe(E + 60);
    expect(epochOf(epochEnd(E) - 1)).toBe(E);
    expectInvalid(() => epochEnd(E + 1), 'is not the start of a 3600 s epoch');
    const last = Number.MAX_SAFE_INTEGER - 1; // aligned to 2 s epochs; its end is 2^53, no longer safe
    expectInvalid(() => epochEnd(last, 2), `end of epoch ${last} is beyond the safe integer range`);
  });

  it.each([0, -1, 1.5, NaN, Infinity, 2 ** 53, '3600'])('rejects epoch length %s', (length) => {
    const message = `epoch length must be a positive safe integer number of seconds, got ${String(length)}`;
    expectInvalid(() => epochOf(E, length as number), message);
    expectInvalid(() => isEpochStart(E, length as number), message);
    expectInvalid(() => requireEpoch(E, length as number), message);
    expectInvalid(() => epochEnd(E, length as number), message);
    expectInvalid(() => epochsBetween(E, E, length as number), message);
  });

  it.each([-1, 1.5, NaN, 2 ** 53, '1700000000'])('rejects unix seconds %s', (t) => {
    expectInvalid(
      () => epochOf(t as number),
      `unixSeconds must be a non-negative safe integer (unix seconds), got ${String(t)}`,
    );
  });
});

describe('epochsBetween', () => {
  it('lists epochs oldest first, end exclusive', () => {
    expect(epochsBetween(E, E + 3 * H)).toEqual([E, E + H, E + 2 * H]);
    expect(epochsBetween(E, E + H)).toEqual([E]);
    expect(epochsBetween(E, E)).toEqual([]);
    expect(epochsBetween(0, 180, 60)).toEqual([0, 60, 120]);
  });

  it('rejects reversed, unaligned and oversized ranges', () => {
    expectInvalid(() => epochsBetween(E + H, E), `epochsBetween: fromEpoch ${E + H} is after toEpochExclusive ${E}`);
    expectInvalid(() => epochsBetween(E + 1, E + H), `epoch ${E + 1} is not the start of a 3600 s epoch`);
    expectInvalid(() => epochsBetween(E, E + 1), `epoch ${E + 1} is not the start of a 3600 s epoch`);
    expect(epochsBetween(0, MAX_EPOCHS_BETWEEN, 1)).toHaveLength(1_000_000);
    expectInvalid(
      () => epochsBetween(0, MAX_EPOCHS_BETWEEN + 1, 1),
      'epochsBetween: 1000001 epochs from 0 to 1000001 exceed the limit of 1000000',
    );
  });
});

describe('sealReadiness', () => {
  const sealAt = E + H + 300; // epoch end + 300 s grace
  const base = { epoch: E, graceSeconds: 300, deadAfterSeconds: 600 };
  const live = (collectorId: string, flushedThrough: number, now: number) => ({
    collectorId,
    flushedThrough,
    lastHeartbeat: now,
  });

  it('is ready once grace has passed and every live collector flushed through end + grace', () => {
    const now = sealAt;
    const result = sealReadiness({ ...base, now, watermarks: [live('b', sealAt, now), live('a', sealAt + 9, now)] });
    expect(result).toEqual({ ready: true, reason: `epoch ${E} is ready to seal`, waitingFor: [], dead: [] });
  });

  it('waits for grace to pass, still reporting laggards', () => {
    const now = sealAt - 1;
    const result = sealReadiness({ ...base, now, watermarks: [live('a', sealAt, now), live('b', sealAt - 1, now)] });
    expect(result).toEqual({
      ready: false,
      reason: `epoch ${E} waits until ${sealAt} (end + 300 s grace), now ${now}; collectors behind: b`,
      waitingFor: ['b'],
      dead: [],
    });
  });

  it('waits for lagging live collectors, sorted by id', () => {
    const now = sealAt + 50;
    const watermarks = [live('c', sealAt - 1, now), live('a', 0, now), live('b', sealAt, now)];
    expect(sealReadiness({ ...base, now, watermarks })).toEqual({
      ready: false,
      reason: `epoch ${E} waits for collectors a,c to flush through ${sealAt}`,
      waitingFor: ['a', 'c'],
      dead: [],
    });
  });

  it('ignores but reports dead collectors (heartbeat older than now - deadAfterSeconds)', () => {
    const now = sealAt + 1000;
    const watermarks = [
      { collectorId: 'dead', flushedThrough: 0, lastHeartbeat: now - 601 },
      { collectorId: 'edge', flushedThrough: sealAt, lastHeartbeat: now - 600 }, // exactly at the limit: alive
    ];
    expect(sealReadiness({ ...base, now, watermarks })).toEqual({
      ready: true,
      reason: `epoch ${E} is ready to seal (ignoring dead collectors dead)`,
      waitingFor: [],
      dead: ['dead'],
    });
    const lagging = [...watermarks, { collectorId: 'slow', flushedThrough: sealAt - 1, lastHeartbeat: now - 600 }];
    expect(sealReadiness({ ...base, now, watermarks: lagging }).waitingFor).toEqual(['slow']);
  });

  it('is not ready when every collector that is not stopped is dead', () => {
    const now = sealAt;
    const watermarks = [{ collectorId: 'x', flushedThrough: sealAt, lastHeartbeat: 0 }];
    expect(sealReadiness({ ...base, now, watermarks })).toEqual({
      ready: false,
      reason: `epoch ${E} has no live collector (ignoring dead collectors x)`,
      waitingFor: [],
      dead: ['x'],
    });
    const stopped = { collectorId: 's', flushedThrough: 0, lastHeartbeat: 0, stopped: true };
    expect(sealReadiness({ ...base, now, watermarks: [...watermarks, stopped] }).ready).toBe(false);
  });

  it('lets stopped collectors and an empty collector list hold nothing back', () => {
    const now = sealAt;
    expect(sealReadiness({ ...base, now, watermarks: [] })).toEqual({
      ready: true,
      reason: `epoch ${E} is ready to seal`,
      waitingFor: [],
      dead: [],
    });
    const stopped = { collectorId: 's', flushedThrough: 0, lastHeartbeat: 0, stopped: true };
    expect(sealReadiness({ ...base, now, watermarks: [stopped] }).ready).toBe(true);
    expect(sealReadiness({ ...base, now: sealAt - 1, watermarks: [stopped] }).ready).toBe(false);
  });

  it('uses lengthSeconds and zero grace', () => {
    const now = E + 60;
    const result = sealReadiness({
      ...base,
      graceSeconds: 0,
      lengthSeconds: 60,
      now,
      watermarks: [live('a', now, now)],
    });
    expect(result.ready).toBe(true);
    expect(
      sealReadiness({ ...base, graceSeconds: 0, lengthSeconds: 60, now: now - 1, watermarks: [live('a', now, now)] })
        .ready,
    ).toBe(false);
  });

  it('rejects bad inputs', () => {
    const ok = { ...base, now: sealAt, watermarks: [live('a', sealAt, sealAt)] };
    expectInvalid(() => sealReadiness({ ...ok, epoch: E + 1 }), `epoch ${E + 1} is not the start of a 3600 s epoch`);
    expectInvalid(() => sealReadiness({ ...ok, lengthSeconds: 0 }), 'epoch length must be a positive safe integer');
    expectInvalid(
      () => sealReadiness({ ...ok, graceSeconds: -1 }),
      'graceSeconds must be a non-negative safe integer number of seconds, got -1',
    );
    expectInvalid(
      () => sealReadiness({ ...ok, deadAfterSeconds: 0 }),
      'deadAfterSeconds must be a positive safe integer number of seconds, got 0',
    );
    expectInvalid(
      () => sealReadiness({ ...ok, now: 1.5 }),
      'now must be a non-negative safe integer (unix seconds), got 1.5',
    );
    expectInvalid(() => sealReadiness({ ...ok, watermarks: 'a' as never }), 'watermarks must be an array');
    expectInvalid(
      () => sealReadiness({ ...ok, watermarks: [live('', 0, 0)] }),
      'every watermark needs a non-empty collectorId',
    );
    expectInvalid(
      () => sealReadiness({ ...ok, watermarks: [live('a', 0, 0), live('a', 1, 1)] }),
      'duplicate watermark for collector a',
    );
    expectInvalid(
      () => sealReadiness({ ...ok, watermarks: [live('a', -5, 0)] }),
      'flushedThrough of collector a must be a non-negative safe integer (unix seconds), got -5',
    );
    expectInvalid(
      () => sealReadiness({ ...ok, watermarks: [{ collectorId: 'a', flushedThrough: 0, lastHeartbeat: NaN }] }),
      'lastHeartbeat of collector a must be a non-negative safe integer (unix seconds), got NaN',
    );
  });
});
