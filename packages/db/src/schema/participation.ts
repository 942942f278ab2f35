import { bigint, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * Counters per (epoch, channel, viewer). `viewer` is a Twitch user id in decimal, or `legacy:<hex login hash>` for
 * imported rows whose viewer is known only by the legacy key. `source` is 'chat' (aggregated from chat_events, and
 * recomputed while the epoch is open) or 'backfill' (imported).
 */
export const participation = pgTable(
  'participation',
  {
    epoch: bigint('epoch', { mode: 'number' }).notNull(),
    channelId: bigint('channel_id', { mode: 'bigint' }).notNull(),
    viewer: text('viewer').notNull(),
    messages: integer('messages').notNull().default(0),
    activeMinutes: integer('active_minutes').notNull().default(0),
    subs: integer('subs').notNull().default(0),
    resubs: integer('resubs').notNull().default(0),
    giftedSubs: integer('gifted_subs').notNull().default(0),
    bits: integer('bits').notNull().default(0),
    raidViewers: integer('raid_viewers').notNull().default(0),
    firstSeen: bigint('first_seen', { mode: 'number' }),
    lastSeen: bigint('last_seen', { mode: 'number' }),
    source: text('source').notNull().default('chat'),
  },
  (t) => [
    primaryKey({ columns: [t.epoch, t.channelId, t.viewer] }),
    index('participation_viewer_idx').on(t.viewer, t.epoch),
  ],
);
