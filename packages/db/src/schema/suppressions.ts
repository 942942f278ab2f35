import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Viewers who opted out, by user id: dropped at collection and excluded at sealing. */
export const suppressions = pgTable('suppressions', {
  userId: bigint('user_id', { mode: 'bigint' }).primaryKey(),
  reason: text('reason'),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
