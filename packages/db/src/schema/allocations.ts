import { bigint, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { amount } from './columns.js';

/** What a sealed epoch pays, per (channel, viewer); channel 0 for policies that pay across channels (promo-v1). */
export const allocations = pgTable(
  'allocations',
  {
    epoch: bigint('epoch', { mode: 'number' }).notNull(),
    channelId: bigint('channel_id', { mode: 'bigint' }).notNull(),
    viewer: text('viewer').notNull(),
    points: amount('points').notNull(),
    amount: amount('amount').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.epoch, t.channelId, t.viewer] }),
    index('allocations_viewer_idx').on(t.viewer, t.epoch),
  ],
);
