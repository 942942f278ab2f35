import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Conditions that stop something until an operator acts (a treasury shortfall, a foreign root), by name. */
export const alarms = pgTable('alarms', {
  name: text('name').primaryKey(),
  message: text('message').notNull(),
  details: jsonb('details'),
  raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
  /** Null while the alarm is active. */
  clearedAt: timestamp('cleared_at', { withTimezone: true }),
});
