import { bigint, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per collector: how far its spool has been flushed, and when it last said so. */
export const collectorHeartbeats = pgTable('collector_heartbeats', {
  collectorId: text('collector_id').primaryKey(),
  /** Every event this collector received with sentAt < flushedThrough (unix ms) is in chat_events. */
  flushedThrough: bigint('flushed_through', { mode: 'number' }).notNull(),
  lastHeartbeat: timestamp('last_heartbeat', { withTimezone: true }).notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  channels: integer('channels').notNull().default(0),
  spoolBacklog: integer('spool_backlog').notNull().default(0),
  /** 'live' while running, 'stopped' after a clean shutdown (a stopped collector holds no epoch back). */
  status: text('status').notNull().default('live'),
});
