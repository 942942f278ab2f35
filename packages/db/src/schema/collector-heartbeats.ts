// Collector heartbeats: one row per collector, rewritten on every beat.
import { sql } from 'drizzle-orm';
import { bigint, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per collector: how far its spool has been flushed, when it last said so, and its event counts since
 * `started_at` (each start resets them, so a rate across restarts reads them together with started_at).
 */
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
  /** Events this process appended durably to its spool since started_at. */
  eventsReceived: bigint('events_received', { mode: 'number' }).notNull().default(sql`0`),
  /** Events this process moved from its spool into the database since started_at (a replayed spool included). */
  eventsFlushed: bigint('events_flushed', { mode: 'number' }).notNull().default(sql`0`),
  /** Of those, events whose epoch was already sealed (stored in late_events) since started_at. */
  eventsLate: bigint('events_late', { mode: 'number' }).notNull().default(sql`0`),
});
