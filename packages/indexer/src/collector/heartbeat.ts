// A collector's heartbeat: how far its spool is flushed, so sealing knows when an epoch is complete.
import { collectorHeartbeats, type DatabaseHandle, sql } from '@attention-oracle/db';

export interface Heartbeat {
  collectorId: string;
  /** Unix ms: every event this collector received with a watermark before it is in the database. */
  flushedThrough: number;
  startedAt: Date;
  channels: number;
  spoolBacklog: number;
  status: 'live' | 'stopped';
}

/** Upserts the collector's heartbeat row; flushed_through never moves backwards. */
export async function writeHeartbeat(handle: DatabaseHandle, beat: Heartbeat, now = new Date()): Promise<void> {
  const row = {
    collectorId: beat.collectorId,
    flushedThrough: beat.flushedThrough,
    lastHeartbeat: now,
    startedAt: beat.startedAt,
    channels: beat.channels,
    spoolBacklog: beat.spoolBacklog,
    status: beat.status,
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
      },
    });
}

const sqlGreatest = (value: number) => sql`greatest(${collectorHeartbeats.flushedThrough}, ${value})`;
