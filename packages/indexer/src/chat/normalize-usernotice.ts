// USERNOTICE -> sub, resub, subgift, submysterygift or raid. A mystery gift of N counts N once: its N follow-up
// subgift notices (which carry the mystery gift's community-gift-id or origin-id) are skipped.
import type { ChatEvent, ChatEventKind } from './event.js';
import type { IrcMessage } from './irc.js';
import type { NormalizeContext } from './normalize-context.js';
import {
  MalformedLine,
  type Origin,
  readCount,
  readLogin,
  readOrigin,
  readRoom,
  readSentAt,
  readUserId,
} from './normalize-internal.js';

const COUNTED = new Set<string>(['sub', 'resub', 'subgift', 'submysterygift', 'raid']);
const GIFT_ID_TAGS = ['msg-param-community-gift-id', 'msg-param-origin-id'] as const;

/** A counted USERNOTICE as an event; 'ignored' for other msg-ids, 'follow-up' for a mystery gift's subgift notices. */
export function usernoticeEvent(
  message: IrcMessage,
  context: NormalizeContext,
): { event: ChatEvent; origin: Origin } | 'ignored' | 'excluded' | 'follow-up' {
  const { tags } = message;
  // In shared chat, other rooms receive a notice as `sharedchatnotice` naming the original msg-id.
  const msgId = tags['msg-id'] === 'sharedchatnotice' ? tags['source-msg-id'] : tags['msg-id'];
  if (msgId === undefined) throw new MalformedLine('missing msg-id');
  if (!COUNTED.has(msgId)) return 'ignored';
  const kind = msgId as ChatEventKind;

  const room = readRoom(message, context);
  const origin = readOrigin(message, room);
  const userId = readUserId(tags, 'user-id');
  const login = readLogin(tags.login, 'login');
  const sentAt = readSentAt(tags);
  let count = 0;
  if (kind === 'submysterygift') count = readCount(tags, 'msg-param-mass-gift-count');
  if (kind === 'raid') count = readCount(tags, 'msg-param-viewerCount');

  const giftKeys = GIFT_ID_TAGS.map((name) => tags[name])
    .filter((value): value is string => value !== undefined && value !== '')
    .map((giftId) => `${origin.channelId}:${giftId}`);
  if (kind === 'submysterygift') {
    // Remembered before any other check, so the follow-ups are recognized whatever happens to this notice.
    for (const key of giftKeys) context.mysteryGifts?.add(key);
  }
  if (context.isExcluded(userId)) return 'excluded';
  if (kind === 'subgift' && giftKeys.some((key) => context.mysteryGifts?.has(key))) return 'follow-up';

  const event: ChatEvent = {
    id: origin.id,
    kind,
    channelId: origin.channelId,
    channelLogin: origin.channelLogin,
    userId,
    login,
    sentAt,
    bits: 0,
    count,
    targetId: null,
  };
  return { event, origin };
}
