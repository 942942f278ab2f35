// One IRC line -> one ChatEvent or a skip reason. Pure apart from the context's bounded memories; no message text is
// ever kept.
import type { ChatEvent } from './event.js';
import type { IrcMessage } from './irc.js';
import { prefixNick } from './irc.js';
import type { NormalizeContext } from './normalize-context.js';
import {
  MalformedLine,
  readChannelLogin,
  readCount,
  readLogin,
  readRoom,
  readRoomId,
  readSentAt,
  readUserId,
  readUuid,
} from './normalize-internal.js';
import type { NormalizeResult } from './normalize-result.js';
import { usernoticeEvent } from './normalize-usernotice.js';
import { uuidFromContent } from './uuid.js';

/**
 * Normalizes one parsed IRC line. PRIVMSG -> `message` (bits from the `bits` tag); USERNOTICE sub, resub, subgift,
 * submysterygift, raid -> that kind; CLEARMSG -> `clearmsg`; CLEARCHAT of one user -> `clearchat`. Shared-chat copies
 * count for their source room under the source message's id. Ids must be UUIDs and user ids and logins valid, or the
 * line is 'malformed'; excluded users are dropped; repeats of a recent id are duplicates. Updates `context.stats`.
 *
 * @example
 * const result = normalize(parseIrcLine(line)!, createNormalizeContext());
 * if ('event' in result) spool.push(result.event);
 */
export function normalize(message: IrcMessage, context: NormalizeContext): NormalizeResult {
  const result = normalizeLine(message, context);
  context.stats?.record(result);
  return result;
}

function normalizeLine(message: IrcMessage, context: NormalizeContext): NormalizeResult {
  try {
    switch (message.command) {
      case 'PRIVMSG':
        return privmsg(message, context);
      case 'USERNOTICE': {
        const notice = usernoticeEvent(message, context);
        if (notice === 'ignored') return { skip: 'ignored-notice' };
        if (notice === 'excluded') return { skip: 'excluded-user' };
        if (notice === 'follow-up') return { skip: 'gift-follow-up' };
        return deliver(notice.event, notice.origin.shared, context);
      }
      case 'CLEARMSG':
        return clearmsg(message, context);
      case 'CLEARCHAT':
        return clearchat(message, context);
      default:
        return { skip: 'ignored-command' };
    }
  } catch (error) {
    if (error instanceof MalformedLine) return { skip: 'malformed', detail: error.message };
    throw error;
  }
}

function privmsg(message: IrcMessage, context: NormalizeContext): NormalizeResult {
  const { tags } = message;
  if (message.params.length < 2) throw new MalformedLine('missing message parameter');
  // readRoom and readOrigin, unrolled into locals: this runs for every chat message, and their small result objects
  // were most of what normalizing one allocated besides the event. Same checks, in the same order.
  const roomLogin = readChannelLogin(message);
  const roomId = readRoomId(message, roomLogin, context);
  const sourceRoom = tags['source-room-id'];
  const shared = sourceRoom !== undefined && sourceRoom !== '';
  let channelId = roomId;
  let channelLogin: string | null = roomLogin;
  let id: string | undefined;
  if (shared) {
    const sourceRoomId = readUserId(tags, 'source-room-id');
    if (sourceRoomId !== roomId) {
      channelId = sourceRoomId;
      channelLogin = null;
      id = readUuid(tags, 'source-id');
    }
  }
  if (id === undefined) id = readUuid(tags, 'id');
  const userId = readUserId(tags, 'user-id');
  const login = readLogin(prefixNick(message.prefix) ?? undefined, 'prefix login');
  const sentAt = readSentAt(tags);
  const bits = tags.bits === undefined ? 0 : readCount(tags, 'bits');
  if (context.isExcluded(userId)) return { skip: 'excluded-user' };
  const event: ChatEvent = {
    id,
    kind: 'message',
    channelId,
    channelLogin,
    userId,
    login,
    sentAt,
    bits,
    count: 0,
    targetId: null,
  };
  return deliver(event, shared, context);
}

function clearmsg(message: IrcMessage, context: NormalizeContext): NormalizeResult {
  const { tags } = message;
  const room = readRoom(message, context);
  const targetId = readUuid(tags, 'target-msg-id');
  const login = tags.login === undefined || tags.login === '' ? null : readLogin(tags.login, 'login');
  const event: ChatEvent = {
    // A message is deleted at most once, so its room and id name the deletion on every connection that sees it.
    id: uuidFromContent(`clearmsg:${room.roomId}:${targetId}`),
    kind: 'clearmsg',
    channelId: room.roomId,
    channelLogin: room.login,
    userId: null,
    login,
    sentAt: readSentAt(tags),
    bits: 0,
    count: 0,
    targetId,
  };
  return deliver(event, false, context);
}

function clearchat(message: IrcMessage, context: NormalizeContext): NormalizeResult {
  const { tags } = message;
  if (tags['target-user-id'] === undefined || tags['target-user-id'] === '') return { skip: 'ignored-notice' };
  const room = readRoom(message, context);
  const userId = readUserId(tags, 'target-user-id');
  const targetLogin = message.params[1];
  const login = targetLogin === undefined || targetLogin === '' ? null : readLogin(targetLogin, 'target login');
  const sentAt = readSentAt(tags);
  if (context.isExcluded(userId)) return { skip: 'excluded-user' };
  const event: ChatEvent = {
    id: uuidFromContent(`clearchat:${room.roomId}:${userId}:${sentAt}`),
    kind: 'clearchat',
    channelId: room.roomId,
    channelLogin: room.login,
    userId,
    login,
    sentAt,
    bits: 0,
    count: 0,
    targetId: null,
  };
  return deliver(event, false, context);
}

/** The event, unless its id was delivered recently (by another connection, or as another room's shared-chat copy). */
function deliver(event: ChatEvent, shared: boolean, context: NormalizeContext): NormalizeResult {
  if (context.seen && !context.seen.add(event.id)) return { skip: shared ? 'mirror-duplicate' : 'duplicate' };
  return { event };
}
