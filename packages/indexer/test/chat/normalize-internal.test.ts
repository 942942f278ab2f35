// The hand-written field checks against the regular expressions and core functions they replace: same verdict and
// same value for every string, including near misses (leading zeros, length limits, non-ASCII, case).
import { parseLogin, parseTwitchUserId } from '@attention-oracle/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isLogin,
  isTwitchUserId,
  MalformedLine,
  readCount,
  readLogin,
  readSentAt,
  readUserId,
  readUuid,
} from '../../src/chat/normalize-internal.js';
import { parseUuid } from '../../src/chat/uuid.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNT = /^[0-9]{1,9}$/;
const TIMESTAMP = /^[1-9][0-9]{0,15}$/;

/** What `read` returns, or 'malformed' with its message when it throws MalformedLine. */
function outcome(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof MalformedLine) return `malformed: ${error.message}`;
    throw error;
  }
}

function accepts(parse: (value: string) => string, value: string): boolean {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

// Characters on both sides of every boundary the checks draw.
const chars = fc.constantFrom(
  ...'0123456789aAfFgGzZ_-:/@`[{#'.split(''),
  ' ',
  '\u00e9',
  '\u0130',
  '\u212a',
  '\u017f',
  '\u0660',
  '\uff11',
  '\ud800',
);
const text = fc.oneof(
  fc.array(chars, { maxLength: 40 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const digits = fc.array(fc.constantFrom(...'0123456789'), { minLength: 0, maxLength: 22 }).map((d) => d.join(''));
const loginish = fc
  .array(fc.constantFrom(...'aZ09_-\u017f\u212a'.split('')), { minLength: 0, maxLength: 28 })
  .map((d) => d.join(''));
const uuidish = fc.uuid().chain((id) =>
  fc.tuple(fc.nat(35), chars, fc.boolean(), fc.boolean()).map(([at, ch, mutate, upper]) => {
    const cased = upper ? id.toUpperCase() : id;
    return mutate ? `${cased.slice(0, at)}${ch}${cased.slice(at + 1)}` : cased;
  }),
);

describe('normalize field checks', () => {
  it('accept exactly the logins core accepts, lowercased the same way', () => {
    fc.assert(
      fc.property(fc.oneof(text, loginish), (value) => {
        expect(isLogin(value)).toBe(accepts(parseLogin, value));
        const expected =
          value === ''
            ? 'malformed: missing x'
            : accepts(parseLogin, value)
              ? parseLogin(value)
              : 'malformed: invalid x';
        expect(outcome(() => readLogin(value, 'x'))).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('accept exactly the user ids core accepts', () => {
    fc.assert(
      fc.property(fc.oneof(text, digits), (value) => {
        expect(isTwitchUserId(value)).toBe(accepts(parseTwitchUserId, value));
        const expected =
          value === ''
            ? 'malformed: missing user-id'
            : accepts(parseTwitchUserId, value)
              ? value
              : 'malformed: invalid user-id';
        expect(outcome(() => readUserId({ 'user-id': value }, 'user-id'))).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('read counts and timestamps like their regular expressions', () => {
    fc.assert(
      fc.property(fc.oneof(text, digits), (value) => {
        const tags = { bits: value, 'tmi-sent-ts': value };
        expect(outcome(() => readCount(tags, 'bits'))).toBe(
          COUNT.test(value) ? Number(value) : 'malformed: missing or invalid bits',
        );
        expect(outcome(() => readSentAt(tags))).toBe(
          TIMESTAMP.test(value) ? Number(value) : 'malformed: missing or invalid tmi-sent-ts',
        );
      }),
      { numRuns: 20_000 },
    );
    expect(outcome(() => readCount({}, 'bits'))).toBe('malformed: missing or invalid bits');
    expect(outcome(() => readSentAt({}))).toBe('malformed: missing or invalid tmi-sent-ts');
  });

  it('parse UUIDs like the regular expression, lowercased', () => {
    fc.assert(
      fc.property(fc.oneof(uuidish, text), (value) => {
        expect(parseUuid(value)).toBe(UUID.test(value) ? value.toLowerCase() : null);
        expect(outcome(() => readUuid({ id: value }, 'id'))).toBe(
          UUID.test(value) ? value.toLowerCase() : 'malformed: missing or invalid id',
        );
      }),
      { numRuns: 20_000 },
    );
    expect(parseUuid(undefined)).toBeNull();
  });
});
