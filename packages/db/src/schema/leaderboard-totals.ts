// Leaderboard totals: what sealed epochs allocated each viewer, kept up to date by every seal and legacy join.
import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { amount } from './columns.js';

/**
 * Each viewer's total allocated in sealed epochs, across channels: a user id, or `legacy:<hex>` for a legacy viewer
 * not joined yet (a join moves the total to the user id). Equal to the sum of the sealed allocations at all times.
 */
export const viewerTotals = pgTable(
  'viewer_totals',
  {
    viewer: text('viewer').primaryKey(),
    total: amount('total').notNull(),
  },
  (t) => [index('viewer_totals_rank_idx').on(t.total.desc(), t.viewer)],
);

/** The same per channel (channel 0: allocations of policies that pay across channels). */
export const channelViewerTotals = pgTable(
  'channel_viewer_totals',
  {
    channelId: bigint('channel_id', { mode: 'bigint' }).notNull(),
    viewer: text('viewer').notNull(),
    total: amount('total').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.viewer] }),
    index('channel_viewer_totals_rank_idx').on(t.channelId, t.total.desc(), t.viewer),
  ],
);

/**
 * How many viewer_totals rows fall in each bucket of totals (`leaderboard_bucket(total)`), so that a rank counts
 * whole buckets instead of rows.
 */
export const leaderboardBuckets = pgTable('leaderboard_buckets', {
  bucket: integer('bucket').primaryKey(),
  viewers: bigint('viewers', { mode: 'number' }).notNull().default(sql`0`),
});
