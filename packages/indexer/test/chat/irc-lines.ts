// Builders for tagged Twitch IRC lines, for tests (not product code). Values are escaped the IRCv3 way.
import { randomUUID } from 'node:crypto';

type TagValue = string | number | undefined;

/** Escapes a tag value: `;` space `\` CR LF become `\:` `\s` `\\` `\r` `\n`. */
export function escapeTagValue(value: string): string {
  return value.replace(
    /[\\; \r\n]/g,
    (ch) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[ch] ?? ch,
  );
}

/** `@k=v;... ` for the defined entries of `tags` (empty string when there are none). */
export function tagPrefix(tags: Record<string, TagValue>): string {
  const parts = Object.entries(tags)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeTagValue(String(value))}`);
  return parts.length === 0 ? '' : `@${parts.join(';')} `;
}

/** Fields common to chat lines. `sentAt` defaults to now, `id` to a fresh UUID. */
export interface LineBase {
  channel: string;
  roomId: string;
  sentAt?: number;
  tags?: Record<string, TagValue>;
}

/** A PRIVMSG from `login` (a cheer when `bits` is set). */
export function privmsg(o: LineBase & { login: string; userId: string; id?: string; text?: string; bits?: number }) {
  const tags = {
    'badge-info': '',
    badges: '',
    bits: o.bits,
    color: '#FF0000',
    'display-name': o.login,
    emotes: '',
    'first-msg': 0,
    id: o.id ?? randomUUID(),
    mod: 0,
    'room-id': o.roomId,
    'tmi-sent-ts': o.sentAt ?? Date.now(),
    'user-id': o.userId,
    'user-type': '',
    ...o.tags,
  };
  return `${tagPrefix(tags)}:${o.login}!${o.login}@${o.login}.tmi.twitch.tv PRIVMSG #${o.channel} :${o.text ?? 'hello'}`;
}

/** A USERNOTICE with `msg-id` and its `msg-param-*` tags (given without the prefix). */
export function usernotice(
  o: LineBase & { msgId: string; login: string; userId: string; id?: string; params?: Record<string, TagValue> },
) {
  const params = Object.fromEntries(Object.entries(o.params ?? {}).map(([k, v]) => [`msg-param-${k}`, v]));
  const tags = {
    'badge-info': '',
    badges: '',
    'display-name': o.login,
    id: o.id ?? randomUUID(),
    login: o.login,
    'msg-id': o.msgId,
    ...params,
    'room-id': o.roomId,
    'system-msg': `${o.login} did ${o.msgId}`,
    'tmi-sent-ts': o.sentAt ?? Date.now(),
    'user-id': o.userId,
    ...o.tags,
  };
  return `${tagPrefix(tags)}:tmi.twitch.tv USERNOTICE #${o.channel}`;
}

/** A CLEARMSG deleting message `targetId` sent by `login`. */
export function clearmsg(o: LineBase & { login: string; targetId: string }) {
  const tags = {
    login: o.login,
    'room-id': o.roomId,
    'target-msg-id': o.targetId,
    'tmi-sent-ts': o.sentAt ?? Date.now(),
  };
  return `${tagPrefix({ ...tags, ...o.tags })}:tmi.twitch.tv CLEARMSG #${o.channel} :deleted text`;
}

/** A CLEARCHAT: of one user (ban or timeout) when `targetUserId` is set, else of the whole room. */
export function clearchat(o: LineBase & { targetUserId?: string; targetLogin?: string; durationSeconds?: number }) {
  const tags = {
    'ban-duration': o.durationSeconds,
    'room-id': o.roomId,
    'target-user-id': o.targetUserId,
    'tmi-sent-ts': o.sentAt ?? Date.now(),
    ...o.tags,
  };
  const target = o.targetLogin === undefined ? '' : ` :${o.targetLogin}`;
  return `${tagPrefix(tags)}:tmi.twitch.tv CLEARCHAT #${o.channel}${target}`;
}
