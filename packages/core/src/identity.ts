import { InvalidArgumentError } from './errors.js';
import { keccak256 } from './keccak.js';

const LOGIN = /^[A-Za-z0-9_]{1,25}$/;
const USER_ID = /^[1-9][0-9]{0,19}$/;

/**
 * A Twitch login in its canonical lowercase form. Twitch compares logins without case, so `ZowZRD` and `zowzrd` are
 * one login; anything outside `[a-z0-9_]{1,25}` (a `#` prefix, spaces, `@`, non-ASCII) is rejected, never stripped.
 *
 * @example parseLogin('ZowZRD') // 'zowzrd'
 */
export function parseLogin(login: string): string {
  if (typeof login !== 'string' || !LOGIN.test(login)) {
    throw new InvalidArgumentError(
      `invalid Twitch login ${JSON.stringify(String(login).slice(0, 40))}: expected 1-25 of [a-z0-9_]`,
    );
  }
  return login.toLowerCase();
}

/**
 * A numeric Twitch user id as a decimal string (no sign, no leading zeros).
 *
 * @example parseTwitchUserId('123456') // '123456'
 */
export function parseTwitchUserId(userId: string): string {
  if (typeof userId !== 'string' || !USER_ID.test(userId)) {
    throw new InvalidArgumentError(
      `invalid Twitch user id ${JSON.stringify(String(userId).slice(0, 40))}: expected a positive decimal number`,
    );
  }
  return userId;
}

/**
 * The stable viewer key, `keccak256("twitchId:" + userId)`. Logins change hands; user ids never do.
 *
 * @example toHex(userKey('123456')) // 'c6ae0df1...'
 */
export function userKey(userId: string): Uint8Array {
  return keccak256(`twitchId:${parseTwitchUserId(userId)}`);
}

/**
 * The legacy viewer key older systems used, `keccak256(lowercase(login))`: only for importing their data.
 *
 * @example toHex(legacyLoginKey('ZowZRD')) // '3d6928db...'
 */
export function legacyLoginKey(login: string): Uint8Array {
  return keccak256(parseLogin(login));
}

/**
 * The channel subject, `keccak256("channel:" + lowercase(login))`.
 *
 * @example base58Encode(channelSubject('JasonTheWeen')) // '6AQgt2zM...'
 */
export function channelSubject(channelLogin: string): Uint8Array {
  return keccak256(`channel:${parseLogin(channelLogin)}`);
}
