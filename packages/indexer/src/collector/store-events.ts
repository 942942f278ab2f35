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
  events: readonly ChatEvent[],
  epochSeconds: number,
): Promise<StoredBatch> {
  if (events.length === 0) return { inserted: 0, late: 0 };
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
  return handle.transaction(async (query) => {
    await query(sql`
      insert into epochs (epoch, length_seconds, status, dirty)
      select e, ${epochSeconds}, 'open', false from unnest(${epochs}::bigint[]) as e
      on conflict (epoch) do nothing`);
    const sealed = await query<{ epoch: string | number }>(sql`
      select epoch from epochs where epoch = any(${epochs}::bigint[]) and status = 'sealed' for share`);
    const sealedEpochs = pgArray(sealed.map((r) => Number(r.epoch)));
    const rows = sql`
      select * from unnest(${columns.id}::uuid[], ${columns.epoch}::bigint[], ${columns.channel}::bigint[],
        ${columns.user}::bigint[], ${columns.kind}::smallint[], ${columns.sentAt}::bigint[], ${columns.bits}::int[],
        ${columns.count}::int[], ${columns.target}::uuid[])
        as t(event_id, epoch, channel_id, user_id, kind, sent_at, bits, count, target_id)`;
    const inserted = await query<{ epoch: string | number; n: number }>(sql`
      with added as (
        insert into chat_events (event_id, epoch, channel_id, user_id, kind, sent_at, bits, count, target_id)
        select * from (${rows}) r where not (r.epoch = any(${sealedEpochs}::bigint[]))
        on conflict do nothing returning epoch)
      select epoch, count(*)::int as n from added group by epoch`);
    let late = 0;
    if (sealed.length > 0) {
      const [row] = await query<{ n: number }>(sql`
        with added as (
          insert into late_events (event_id, epoch, channel_id, user_id, kind, sent_at)
          select r.event_id, r.epoch, r.channel_id, r.user_id, r.kind, r.sent_at from (${rows}) r
          where r.epoch = any(${sealedEpochs}::bigint[])
            and not exists (select 1 from chat_events c where c.event_id = r.event_id)
          on conflict do nothing returning 1)
        select count(*)::int as n from added`);
      late = row?.n ?? 0;
    }
    const touched = pgArray(inserted.map((r) => Number(r.epoch)));
    await query(sql`update epochs set dirty = true where epoch = any(${touched}::bigint[]) and status = 'open'`);
    return { inserted: inserted.reduce((n, r) => n + r.n, 0), late };
  });
}
