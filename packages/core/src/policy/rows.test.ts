import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { applyExclusions, compareStrings, describeRow, joinKey, validateParticipationRow } from './rows.js';
import { PARTICIPATION_COUNTERS, type ParticipationRow } from './types.js';

const row = (over: Partial<ParticipationRow> = {}): ParticipationRow => ({
  channel: 'chan',
  viewer: '42',
  activeMinutes: 1,
  messages: 0,
  subs: 0,
  resubs: 0,
  giftedSubs: 0,
  bits: 0,
  raidViewers: 0,
  ...over,
});

function expectInvalid(run: () => unknown, message: string): void {
  expect(run).toThrow(InvalidArgumentError);
  expect(run).toThrow(message);
}

describe('validateParticipationRow', () => {
  it('accepts zero and the largest safe integer', () => {
    validateParticipationRow(row({ activeMinutes: 0, bits: Number.MAX_SAFE_INTEGER }));
  });

  it.each(PARTICIPATION_COUNTERS)('names the row and field when %s is bad', (field) => {
    for (const bad of [-1, 1.5, NaN, 2 ** 53, '3', 3n]) {
      expectInvalid(
        () => validateParticipationRow(row({ [field]: bad as number })),
        `row (channel "chan", viewer "42"): ${field} must be a non-negative safe integer, got ${String(bad)}`,
      );
    }
  });

  it('requires non-empty channel and viewer strings without NUL', () => {
    expectInvalid(
      () => validateParticipationRow(row({ channel: '' })),
      'row (channel "", viewer "42"): channel must be a non-empty string without NUL characters',
    );
    expectInvalid(
      () => validateParticipationRow(row({ viewer: 'a\u0000b' })),
      'row (channel "chan", viewer "a\\u0000b"): viewer must be a non-empty string without NUL characters',
    );
    expectInvalid(
      () => validateParticipationRow(row({ viewer: 42 as never })),
      'row (channel "chan", viewer 42): viewer must be a non-empty string',
    );
  });
});

describe('applyExclusions', () => {
  const rows = [row({ viewer: '1' }), row({ viewer: '2' }), row({ viewer: '3' }), row({ viewer: '4' })];

  it('drops suppressed and bot viewers, keeping order', () => {
    const kept = applyExclusions(rows, { suppressed: ['2'], bots: new Set(['4', 'nobody']) });
    expect(kept.map((r) => r.viewer)).toEqual(['1', '3']);
    expect(applyExclusions(rows, { suppressed: [], bots: [] })).toEqual(rows);
  });

  it('runs before validation: an excluded viewer never fails a run', () => {
    const broken = row({ viewer: 'bot', bits: -1 });
    expect(applyExclusions([broken, broken], { suppressed: [], bots: ['bot'] })).toEqual([]);
  });

  it('rejects exclusion lists that would silently not match', () => {
    expectInvalid(
      () => applyExclusions(rows, { suppressed: '12' as never, bots: [] }),
      'exclusions.suppressed must be an iterable of viewer keys (not a string)',
    );
    expectInvalid(
      () => applyExclusions(rows, { suppressed: [], bots: [12 as never] }),
      'exclusions.bots must hold strings, got number 12',
    );
    expectInvalid(() => applyExclusions(rows, undefined as never), 'exclusions must be an object');
    expectInvalid(() => applyExclusions('rows' as never, { suppressed: [], bots: [] }), 'rows must be an array');
    expectInvalid(() => applyExclusions([null as never], { suppressed: [], bots: [] }), 'every row must be an object');
  });
});

describe('helpers', () => {
  it('compares strings by UTF-16 code units, like <', () => {
    expect(['b', 'a', 'B', '10', '9', 'é', 'z'].sort(compareStrings)).toEqual(['10', '9', 'B', 'a', 'b', 'z', 'é']);
    expect(compareStrings('x', 'x')).toBe(0);
  });

  it('joins keys with NUL and describes rows', () => {
    expect(joinKey('a', 1, 'b')).toBe('a\u00001\u0000b');
    expect(describeRow(row())).toBe('row (channel "chan", viewer "42")');
  });
});
