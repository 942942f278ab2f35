// Writes a batch of spooled events to the database: new events into chat_events, events of sealed epochs into
// late_events, and marks the open epochs they touch as dirty for aggregation.
import { CHAT_EVENT_KIND_CODES, type DatabaseHandle, pgArray, sql } from '@attention-oracle/db';
import type { ChatEvent } from '../chat/event.js';

/** Counts of one stored batch. */
export interface StoredBatch {
  inserted: number;
  late: number;
}

/**
 * Stores events idempotently (ON CONFLICT DO NOTHING: a replayed spool batch or a second collector adds nothing).
 * The epochs rows are locked FOR SHARE first, so a seal (which locks its epoch FOR UPDATE) either sees these events
 * or happens before them, in which case they are recorded as late, never silently added to a sealed epoch.
 */
export async function storeEvents(
  handle: DatabaseHandle,
  batch: readonly ChatEvent[],
  epochSeconds: number,
): Promise<StoredBatch> {
  if (batch.length === 0) return { inserted: 0, late: 0 };
  // Two collectors storing the same events must take locks in one order, or PostgreSQL reports a deadlock.
  const events = [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const epochOf = (ms: number) => Math.floor(ms / 1000 / epochSeconds) * epochSeconds;
  const columns = {
    id: pgArray(events.map((e) => e.id)),
    epoch: pgArray(events.map((e) => epochOf(e.sentAt))),
    channel: pgArray(events.map((e) => e.channelId)),
    user: pgArray(events.map((e) => e.userId)),
    kind: pgArray(events.map((e) => CHAT_EVENT_KIND_CODES[e.kind])),
    sentAt: pgArray(events.map((e) => e.sentAt)),
    bits: pgArray(events.map((e) => e.bits)),
    count: pgArray(events.map((e) => e.count)),
    target: pgArray(events.map((e) => e.targetId)),
  };
  const epochs = pgArray([...new Set(events.map((e) => epochOf(e.sentAt)))]);
  // One statement, one round trip. `locked` takes the touched epochs' rows (in epoch order) whatever their status: a
  // concurrent seal or aggregation (FOR UPDATE) either commits first, and the re-read rows route events of a now sealed
  // epoch to late_events, or waits until these events are in, and counts them. The lock is exclusive among flushers,
  // which then update those rows' dirty flag without deadlocking on each other's share locks.
  const [row] = await handle.query<{ inserted: number; late: number }>(sql`
    with input as (
      select * from unnest(${columns.id}::uuid[], ${columns.epoch}::bigint[], ${columns.channel}::bigint[],
        ${columns.user}::bigint[], ${columns.kind}::smallint[], ${columns.sentAt}::bigint[], ${columns.bits}::int[],
        ${columns.count}::int[], ${columns.target}::uuid[])
        as t(event_id, epoch, channel_id, user_id, kind, sent_at, bits, count, target_id)),
    locked as (
      select epoch, status from epochs where epoch = any(${epochs}::bigint[]) order by epoch for no key update),
    sealed as (select epoch from locked where status = 'sealed'),
    new_epochs as (
      insert into epochs (epoch, length_seconds, status, dirty)
      select e, ${epochSeconds}, 'open', true from unnest(${epochs}::bigint[]) as e
      on conflict (epoch) do nothing),
    added as (
      insert into chat_events (event_id, epoch, channel_id, user_id, kind, sent_at, bits, count, target_id)
      select * from input where epoch not in (select epoch from sealed)
      on conflict do nothing returning epoch),
    late as (
      insert into late_events (event_id, epoch, channel_id, user_id, kind, sent_at)
      select i.event_id, i.epoch, i.channel_id, i.user_id, i.kind, i.sent_at from input i
      where i.epoch in (select epoch from sealed)
        and not exists (select 1 from chat_events c where c.event_id = i.event_id)
      on conflict do nothing returning 1),
    dirty as (
      update epochs set dirty = true
      where epoch in (select distinct epoch from added) and status = 'open' and not dirty)
    select (select count(*)::int from added) as inserted, (select count(*)::int from late) as late`);
  return { inserted: row?.inserted ?? 0, late: row?.late ?? 0 };
}
