import { bigint, boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Channels by login. Only `enabled` channels earn; discovery only proposes (enabled stays false). */
export const channels = pgTable(
  'channels',
  {
    login: text('login').primaryKey(),
    /** Twitch room id, learned from the channel's first event or from discovery. */
    channelId: bigint('channel_id', { mode: 'bigint' }).unique(),
    enabled: boolean('enabled').notNull().default(false),
    enabledAt: timestamp('enabled_at', { withTimezone: true }),
    enabledBy: text('enabled_by'),
    proposedAt: timestamp('proposed_at', { withTimezone: true }),
    viewerCount: integer('viewer_count'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('channels_enabled_idx').on(t.enabled)],
);
