import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Known bots by user id: dropped at collection and excluded at sealing. */
export const bots = pgTable('bots', {
  userId: bigint('user_id', { mode: 'bigint' }).primaryKey(),
  login: text('login'),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
