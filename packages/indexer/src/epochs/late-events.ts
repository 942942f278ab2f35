// Events that arrived after their epoch sealed: never counted, always reported.
import { type DatabaseHandle, sql } from '@attention-oracle/db';

/** Late events of one sealed epoch. */
export interface LateEpochReport {
  readonly epoch: number;
  readonly events: number;
  readonly channels: number;
  /** Unix ms of the earliest and latest `sent_at`, and of the first and last arrival. */
  readonly firstSentAt: number;
  readonly lastSentAt: number;
  readonly firstReceivedAt: number;
  readonly lastReceivedAt: number;
}

/**
 * Summarizes `late_events` per epoch, oldest epoch first: how many arrived too late to count, in how many channels,
 * and when. A growing figure means a collector's flushes lag more than the grace period allows.
 *
 * @example for (const late of await lateEventReport(db)) log.warn(late, 'late events')
 */
export async function lateEventReport(db: DatabaseHandle): Promise<LateEpochReport[]> {
  return db.query<LateEpochReport>(sql`
    select epoch::float8 as "epoch", count(*)::float8 as "events", count(distinct channel_id)::float8 as "channels",
      min(sent_at)::float8 as "firstSentAt", max(sent_at)::float8 as "lastSentAt",
      floor(extract(epoch from min(received_at)) * 1000)::float8 as "firstReceivedAt",
      floor(extract(epoch from max(received_at)) * 1000)::float8 as "lastReceivedAt"
    from late_events group by epoch order by epoch`);
}
