import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base58Decode, base58Encode } from './base58.js';
import { InvalidArgumentError } from './errors.js';
import { channelSubject, legacyLoginKey, parseLogin, parseTwitchUserId, userKey } from './identity.js';
import { keccak256 } from './keccak.js';

describe('identity', () => {
  it('accepts logins case-insensitively and keys them by their lowercase form', () => {
    expect(parseLogin('ZowZRD')).toBe('zowzrd');
    expect(legacyLoginKey('ZowZRD')).toEqual(keccak256('zowzrd'));
    expect(channelSubject('Jason_The_Ween')).toEqual(keccak256('channel:jason_the_ween'));
    expect(userKey('42')).toEqual(keccak256('twitchId:42'));
  });

  it('rejects invalid logins rather than rewriting them', () => {
    for (const bad of ['', '#channel', 'has space', 'émile', 'a'.repeat(26), '@user', 'user\n']) {
      expect(() => parseLogin(bad)).toThrow(
        new InvalidArgumentError(
          `invalid Twitch login ${JSON.stringify(bad.slice(0, 40))}: expected 1-25 of [a-z0-9_]`,
        ),
      );
    }
  });

  it('rejects user ids that are not positive decimal numbers', () => {
    for (const bad of ['', '0', '012', '-5', '1e3', ' 7', '1'.repeat(21)]) {
      expect(() => userKey(bad)).toThrow(
        new InvalidArgumentError(`invalid Twitch user id ${JSON.stringify(bad)}: expected a positive decimal number`),
      );
    }
    expect(parseTwitchUserId('123456')).toBe('123456');
  });
});

describe('base58', () => {
  const reference = (bytes: Uint8Array) => {
    // Textbook big-integer conversion, to check the grouped implementation against.
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    let n = bytes.reduce((acc, b) => acc * 256n + BigInt(b), 0n);
    let out = '';
    while (n > 0n) {
      out = alphabet[Number(n % 58n)] + out;
      n /= 58n;
    }
    let zeros = 0;
    while (bytes[zeros] === 0) zeros++;
    return '1'.repeat(zeros) + out;
  };

  it('matches the textbook conversion and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = base58Encode(bytes);
        expect(text).toBe(reference(bytes));
        if (bytes.length > 0) expect(base58Decode(text)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
    expect(base58Encode(new Uint8Array(32))).toBe('11111111111111111111111111111111');
  });

  it('rejects characters outside the alphabet and wrong lengths', () => {
    expect(() => base58Decode('abc0')).toThrow(new InvalidArgumentError('invalid base58 character "0" at 3'));
    expect(() => base58Decode('')).toThrow(new InvalidArgumentError('base58 text must be a non-empty string'));
    expect(() => base58Decode('2', 32)).toThrow(
      new InvalidArgumentError('base58 value must decode to 32 bytes, got 1: 2'),
    );
  });
});
