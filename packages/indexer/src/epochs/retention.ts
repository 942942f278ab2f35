// Raw chat events are kept for a while after their epoch seals, then deleted; everything derived from them stays.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { queryOf } from './query-internal.js';

/** Options of {@link deleteExpiredEvents}. */
export interface RetentionOptions {
  /** Keep events of epochs sealed within this many days (default 30). */
  readonly olderThanDays?: number;
  /** The current time, unix ms (default `Date.now()`). */
  readonly now?: number;
  /** Events deleted per statement (default 10,000), so no statement holds locks for long. */
  readonly batchSize?: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes the chat events of epochs sealed more than `olderThanDays` ago, epoch by epoch in batches, and returns how
 * many it deleted. Open epochs, participation, allocations, epochs and late events are kept. Safe to run twice.
 *
 * @example const deleted = await deleteExpiredEvents(db, { olderThanDays: 30 })
 */
export async function deleteExpiredEvents(db: DatabaseHandle, options: RetentionOptions = {}): Promise<number> {
  const days = options.olderThanDays ?? 30;
  const batch = options.batchSize ?? 10_000;
  if (!Number.isFinite(days) || days < 0) throw new Error(`olderThanDays must be a non-negative number, got ${days}`);
  if (!Number.isSafeInteger(batch) || batch < 1) throw new Error(`batchSize must be a positive integer, got ${batch}`);
  const cutoffMs = (options.now ?? Date.now()) - days * DAY_MS;
  const query = queryOf(db);
  const expired = await query<{ epoch: string }>(sql`
    select e.epoch::text as epoch from epochs e
    where e.status = 'sealed' and e.sealed_at < to_timestamp(${cutoffMs}::float8 / 1000)
      and exists (select 1 from chat_events c where c.epoch = e.epoch)
    order by e.epoch`);
  let deleted = 0;
  for (const { epoch } of expired) {
    for (;;) {
      const [done] = await query<{ n: number }>(sql`
        with doomed as (
          delete from chat_events where event_id in (
            select event_id from chat_events where epoch = ${epoch}::bigint limit ${batch}::int)
          returning 1
        )
        select count(*)::int as n from doomed`);
      const n = done?.n ?? 0;
      deleted += n;
      if (n < batch) break;
    }
  }
  return deleted;
}
