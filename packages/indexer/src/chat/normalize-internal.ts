// Field readers shared by the normalizers: each returns a validated value or throws MalformedLine, which `normalize`
// turns into a 'malformed' skip. Never re-exported.
import { parseLogin, parseTwitchUserId } from '@attention-oracle/core';
import type { IrcMessage } from './irc.js';
import type { NormalizeContext } from './normalize-context.js';
import { parseUuid } from './uuid.js';

/** Thrown by the readers below; carries what was wrong, for logs. */
export class MalformedLine extends Error {
  override readonly name = 'MalformedLine';
}

const COUNT = /^[0-9]{1,9}$/;
const TIMESTAMP = /^[1-9][0-9]{0,15}$/;

/** A numeric Twitch id (user or room) from `tags[name]`. */
export function readUserId(tags: Record<string, string>, name: string): string {
  const value = tags[name];
  if (value === undefined || value === '') throw new MalformedLine(`missing ${name}`);
  try {
    return parseTwitchUserId(value);
  } catch {
    throw new MalformedLine(`invalid ${name}`);
  }
}

/** A login, validated and lowercased (never otherwise rewritten). */
export function readLogin(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new MalformedLine(`missing ${what}`);
  try {
    return parseLogin(value);
  } catch {
    throw new MalformedLine(`invalid ${what}`);
  }
}

/** A non-negative count (bits, gifts, viewers) from `tags[name]`. */
export function readCount(tags: Record<string, string>, name: string): number {
  const value = tags[name];
  if (value === undefined || !COUNT.test(value)) throw new MalformedLine(`missing or invalid ${name}`);
  return Number(value);
}

/** `tmi-sent-ts` in unix milliseconds. */
export function readSentAt(tags: Record<string, string>): number {
  const value = tags['tmi-sent-ts'];
  if (value === undefined || !TIMESTAMP.test(value)) throw new MalformedLine('missing or invalid tmi-sent-ts');
  return Number(value);
}

/** A UUID tag, lowercased. */
export function readUuid(tags: Record<string, string>, name: string): string {
  const id = parseUuid(tags[name]);
  if (id === null) throw new MalformedLine(`missing or invalid ${name}`);
  return id;
}

/** The room a line arrived in: the `#login` parameter and the `room-id` tag (or the context's, when empty). */
export function readRoom(message: IrcMessage, context: NormalizeContext): { login: string; roomId: string } {
  const channel = message.params[0];
  if (channel === undefined || !channel.startsWith('#')) throw new MalformedLine('missing #channel parameter');
  const login = readLogin(channel.slice(1), 'channel');
  const tagged = message.tags['room-id'];
  if (tagged === undefined || tagged === '') {
    const known = context.roomIdOf?.(login);
    if (known === undefined) throw new MalformedLine('missing room-id');
    return { login, roomId: known };
  }
  return { login, roomId: readUserId(message.tags, 'room-id') };
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
