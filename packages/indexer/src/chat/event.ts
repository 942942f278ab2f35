// The normalized chat event: what a collector keeps of a chat line. No message text, ever.

/** What happened. `clearmsg` and `clearchat` remove earlier messages from the count. */
export type ChatEventKind =
  | 'message'
  | 'sub'
  | 'resub'
  | 'subgift'
  | 'submysterygift'
  | 'raid'
  | 'clearmsg'
  | 'clearchat';

export interface ChatEvent {
  /**
   * The dedupe key, a UUID: Twitch's message id (`id` tag); for a shared-chat mirror its `source-id`, so the copies in
   * other rooms collapse into one; for lines without an id (CLEARCHAT) a UUID derived from the line's content.
   */
  id: string;
  kind: ChatEventKind;
  /** Numeric room id of the channel the event counts for (the source room for shared-chat mirrors). */
  channelId: string;
  /** Lowercase login of that channel, or null when unknown (a shared-chat mirror names only the source room id). */
  channelLogin: string | null;
  /** Numeric user id of the actor (chatter, subscriber, gifter, raider); for clearchat the target; null if none. */
  userId: string | null;
  /** Lowercase login of the actor, or null. */
  login: string | null;
  /** When Twitch sent it: `tmi-sent-ts`, unix milliseconds. */
  sentAt: number;
  /** Bits cheered with a message; 0 otherwise. */
  bits: number;
  /** Gifts in a submysterygift, viewers in a raid; 0 otherwise. */
  count: number;
  /** clearmsg: the removed message's id; otherwise null. */
  targetId: string | null;
}
