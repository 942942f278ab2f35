import { bigint, index, pgTable, smallint, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Events that arrived after their epoch sealed: recorded and reported, never used to change the epoch. */
export const lateEvents = pgTable(
  'late_events',
  {
    eventId: uuid('event_id').primaryKey(),
    epoch: bigint('epoch', { mode: 'number' }).notNull(),
    channelId: bigint('channel_id', { mode: 'bigint' }).notNull(),
    userId: bigint('user_id', { mode: 'bigint' }),
    kind: smallint('kind').notNull(),
    sentAt: bigint('sent_at', { mode: 'number' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('late_events_epoch_idx').on(t.epoch)],
);
