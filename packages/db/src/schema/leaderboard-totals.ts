// Leaderboard totals: what sealed epochs allocated each viewer, kept up to date after every seal and by every legacy
// join.
import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
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

/**
 * The sealed epochs whose allocations the totals hold: the leaderboard-totals job adds each sealed epoch once, in its
 * own transaction after the seal (the seal stays fast), marking it here in the same transaction.
 */
export const leaderboardEpochs = pgTable('leaderboard_epochs', {
  epoch: bigint('epoch', { mode: 'number' }).primaryKey(),
  addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
});

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
