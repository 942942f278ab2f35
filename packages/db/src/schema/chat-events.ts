import { bigint, index, integer, pgTable, smallint, uuid } from 'drizzle-orm/pg-core';

/**
 * Raw chat events, deduplicated by Twitch message id. Planned for 10^8 rows: narrow fixed-width columns, no message
 * text, one secondary index (epoch, channel) for aggregation and retention. Kinds are codes (see `chat-event-kinds`).
 */
export const chatEvents = pgTable(
  'chat_events',
  {
    eventId: uuid('event_id').primaryKey(),
    epoch: bigint('epoch', { mode: 'number' }).notNull(),
    channelId: bigint('channel_id', { mode: 'bigint' }).notNull(),
    userId: bigint('user_id', { mode: 'bigint' }),
    kind: smallint('kind').notNull(),
    sentAt: bigint('sent_at', { mode: 'number' }).notNull(),
    bits: integer('bits').notNull().default(0),
    count: integer('count').notNull().default(0),
    targetId: uuid('target_id'),
  },
  (t) => [index('chat_events_epoch_channel_idx').on(t.epoch, t.channelId)],
);
