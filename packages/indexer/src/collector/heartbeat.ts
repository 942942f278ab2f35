// A collector's heartbeat: how far its spool is flushed (so sealing knows when an epoch is complete) and its counts.
import { collectorHeartbeats, type DatabaseHandle, sql } from '@attention-oracle/db';
import type { PgColumn } from 'drizzle-orm/pg-core';

export interface Heartbeat {
  collectorId: string;
  /** Unix ms: every event this collector received with a watermark before it is in the database. */
  flushedThrough: number;
  startedAt: Date;
  channels: number;
  spoolBacklog: number;
  status: 'live' | 'stopped';
  /** Events appended durably to the spool by this process since `startedAt`. */
  eventsReceived: number;
  /** Events this process flushed into the database since `startedAt` (its flusher's stats.flushed). */
  eventsFlushed: number;
  /** Of those, events of an already sealed epoch (its flusher's stats.late). */
  eventsLate: number;
}

/**
 * Upserts the collector's heartbeat row; flushed_through never moves backwards. The event counts count since
 * `startedAt`: they never move backwards either while it stays (a beat that lands late changes nothing), and start
 * afresh when a restart moves it.
 *
 * @example
 * await writeHeartbeat(db, { collectorId: 'c1', flushedThrough: Date.now(), startedAt, channels: 3, spoolBacklog: 0,
 *   status: 'live', eventsReceived: 120, eventsFlushed: 120, eventsLate: 0 });
 */
export async function writeHeartbeat(handle: DatabaseHandle, beat: Heartbeat, now = new Date()): Promise<void> {
  const row = {
    collectorId: beat.collectorId,
    flushedThrough: beat.flushedThrough,
    lastHeartbeat: now,
    startedAt: beat.startedAt,
    channels: beat.channels,
    spoolBacklog: beat.spoolBacklog,
    status: beat.status,
    eventsReceived: beat.eventsReceived,
    eventsFlushed: beat.eventsFlushed,
    eventsLate: beat.eventsLate,
  };
  await handle.db
    .insert(collectorHeartbeats)
    .values(row)
    .onConflictDoUpdate({
      target: collectorHeartbeats.collectorId,
      set: {
        flushedThrough: sqlGreatest(beat.flushedThrough),
        lastHeartbeat: now,
        startedAt: beat.startedAt,
        channels: beat.channels,
        spoolBacklog: beat.spoolBacklog,
        status: beat.status,
        eventsReceived: sinceStart(collectorHeartbeats.eventsReceived),
        eventsFlushed: sinceStart(collectorHeartbeats.eventsFlushed),
        eventsLate: sinceStart(collectorHeartbeats.eventsLate),
      },
    });
}

const sqlGreatest = (value: number) => sql`greatest(${collectorHeartbeats.flushedThrough}, ${value})`;

/** The greater of the stored and the new count while started_at stays, else the new one. */
const sinceStart = (column: PgColumn) => {
  const proposed = sql`excluded.${sql.identifier(column.name)}`;
  return sql`case when ${collectorHeartbeats.startedAt} = excluded.started_at then greatest(${column}, ${proposed})
    else ${proposed} end`;
};
