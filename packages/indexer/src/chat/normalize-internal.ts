// Field readers shared by the normalizers: each returns a validated value or throws MalformedLine, which `normalize`
// turns into a 'malformed' skip. Never re-exported.
//
// They run several times for every chat line, so each check is one pass over the characters instead of a regular
// expression, and nothing is allocated unless the line is malformed. The login and user id checks accept exactly
// what core's parseLogin and parseTwitchUserId accept (test/chat/normalize-internal.test.ts compares them).
import type { IrcMessage } from './irc.js';
import type { NormalizeContext } from './normalize-context.js';
import { parseUuid } from './uuid.js';

/** Thrown by the readers below; carries what was wrong, for logs. */
export class MalformedLine extends Error {
  override readonly name = 'MalformedLine';
}

/**
 * Whether `value` is `[1-9]?[0-9]{min-1..max-1}`-shaped: `min` to `max` ASCII digits, the first one nonzero when
 * `nonZeroFirst`.
 */
function isDigits(value: string, min: number, max: number, nonZeroFirst: boolean): boolean {
  const length = value.length;
  if (length < min || length > max) return false;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57 || (i === 0 && nonZeroFirst && code === 48)) return false;
  }
  return true;
}

/** Core's USER_ID, `^[1-9][0-9]{0,19}$`: a positive decimal number without leading zeros. */
export function isTwitchUserId(value: string): boolean {
  return typeof value === 'string' && isDigits(value, 1, 20, true);
}

/** Core's LOGIN, `^[A-Za-z0-9_]{1,25}$`. */
export function isLogin(value: string): boolean {
  if (typeof value !== 'string' || value.length < 1 || value.length > 25) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || (code >= 65 && code <= 90)))
      return false;
  }
  return true;
}

/** A valid login in lowercase; a new string only when it has uppercase letters. */
function lowerLogin(login: string): string {
  for (let i = 0; i < login.length; i++) {
    const code = login.charCodeAt(i);
    if (code >= 65 && code <= 90) return login.toLowerCase();
  }
  return login;
}

/** A numeric Twitch id (user or room) from `tags[name]`. */
export function readUserId(tags: Record<string, string>, name: string): string {
  const value = tags[name];
  if (value === undefined || value === '') throw new MalformedLine(`missing ${name}`);
  if (!isTwitchUserId(value)) throw new MalformedLine(`invalid ${name}`);
  return value;
}

/** A login, validated and lowercased (never otherwise rewritten). */
export function readLogin(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new MalformedLine(`missing ${what}`);
  if (!isLogin(value)) throw new MalformedLine(`invalid ${what}`);
  return lowerLogin(value);
}

/**
 * The value of `value` when it is `min` to `max` ASCII digits (the first nonzero when `nonZeroFirst`), else -1.
 * Digits are summed as they are checked; past 15 of them the sum could round differently from Number(), so those
 * few take Number() instead.
 */
function digitsValue(value: string, min: number, max: number, nonZeroFirst: boolean): number {
  if (!isDigits(value, min, max, nonZeroFirst)) return -1;
  if (value.length > 15) return Number(value);
  let sum = 0;
  for (let i = 0; i < value.length; i++) sum = sum * 10 + (value.charCodeAt(i) - 48);
  return sum;
}

/** A non-negative count (bits, gifts, viewers) from `tags[name]`: `^[0-9]{1,9}$`. */
export function readCount(tags: Record<string, string>, name: string): number {
  const value = tags[name];
  const count = typeof value === 'string' ? digitsValue(value, 1, 9, false) : -1;
  if (count === -1) throw new MalformedLine(`missing or invalid ${name}`);
  return count;
}

/** `tmi-sent-ts` in unix milliseconds: `^[1-9][0-9]{0,15}$`. */
export function readSentAt(tags: Record<string, string>): number {
  const value = tags['tmi-sent-ts'];
  const sentAt = typeof value === 'string' ? digitsValue(value, 1, 16, true) : -1;
  if (sentAt === -1) throw new MalformedLine('missing or invalid tmi-sent-ts');
  return sentAt;
}

/** A UUID tag, lowercased. */
export function readUuid(tags: Record<string, string>, name: string): string {
  const id = parseUuid(tags[name]);
  if (id === null) throw new MalformedLine(`missing or invalid ${name}`);
  return id;
}

/** The login of the room a line arrived in: its `#login` parameter. */
export function readChannelLogin(message: IrcMessage): string {
  const channel = message.params[0];
  if (channel === undefined || channel.charCodeAt(0) !== 35 /* # */)
    throw new MalformedLine('missing #channel parameter');
  return readLogin(channel.slice(1), 'channel');
}

/** The id of the room a line arrived in: its `room-id` tag, or the context's for `login` when that is empty. */
export function readRoomId(message: IrcMessage, login: string, context: NormalizeContext): string {
  const tagged = message.tags['room-id'];
  if (tagged === undefined || tagged === '') {
    const known = context.roomIdOf?.(login);
    if (known === undefined) throw new MalformedLine('missing room-id');
    return known;
  }
  return readUserId(message.tags, 'room-id');
}

/** The room a line arrived in: the `#login` parameter and the `room-id` tag (or the context's, when empty). */
export function readRoom(message: IrcMessage, context: NormalizeContext): { login: string; roomId: string } {
  const login = readChannelLogin(message);
  return { login, roomId: readRoomId(message, login, context) };
}

/** Where an event counts and its dedupe id; `shared` is true for any copy of a shared-chat message. */
export interface Origin {
  channelId: string;
  channelLogin: string | null;
  id: string;
  shared: boolean;
}

/**
 * The origin of a message-like line. A shared-chat copy from another room counts once, for its source room, under
 * the source message's id; a line in its own source room (or outside shared chat) keeps its room and `id`.
 */
export function readOrigin(message: IrcMessage, room: { login: string; roomId: string }): Origin {
  const sourceRoom = message.tags['source-room-id'];
  const shared = sourceRoom !== undefined && sourceRoom !== '';
  if (shared) {
    const sourceRoomId = readUserId(message.tags, 'source-room-id');
    if (sourceRoomId !== room.roomId) {
      return { channelId: sourceRoomId, channelLogin: null, id: readUuid(message.tags, 'source-id'), shared };
    }
  }
  return { channelId: room.roomId, channelLogin: room.login, id: readUuid(message.tags, 'id'), shared };
}
