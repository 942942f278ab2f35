// The aggregation statement set, for callers already holding the epoch's lock (aggregation and sealing).
import { CHAT_EVENT_KIND_CODES as KIND, sql } from '@attention-oracle/db';
import type { AggregateResult } from './aggregate.js';
import type { Query } from './query-internal.js';

const code = (kind: keyof typeof KIND) => sql.raw(String(KIND[kind]));

/**
 * The aggregation proper, for a caller that already holds the epoch's lock and has checked it is open. An epoch with
 * no chat events has nothing to derive: its rows are left alone (only imports write rows without events). `events`
 * is counted by the statement that aggregates them, so a seal's event count always matches its participation even
 * if a flusher commits more events meanwhile.
 */
export async function aggregateLocked(query: Query, epoch: number, epochSeconds: number): Promise<AggregateResult> {
  const e = sql`${epoch}::bigint`;
  const [counted] = await query<{ events: number }>(sql`
    select count(*)::int as events from chat_events where epoch = ${e}`);
  let events = counted?.events ?? 0;
  let participants = 0;
  if (events > 0) {
    await query(sql`delete from participation where epoch = ${e} and source = 'chat'`);
    const maxMinutes = Math.min(60, Math.ceil(epochSeconds / 60));
    const [inserted] = await query<{ events: number; participants: number }>(sql`
      with ev as materialized (
        select event_id, channel_id, user_id, kind, sent_at, bits, count, target_id from chat_events where epoch = ${e}
      ), cleared as (
        select channel_id, user_id, max(sent_at) as at from ev
        where kind = ${code('clearchat')} and user_id is not null group by channel_id, user_id
      ), messages as (
        select m.channel_id, m.user_id, m.sent_at, m.bits from ev m
        where m.kind = ${code('message')} and m.user_id is not null
          and not exists (select 1 from ev r where r.kind = ${code('clearmsg')} and r.target_id = m.event_id)
          and not exists (select 1 from cleared c
            where c.channel_id = m.channel_id and c.user_id = m.user_id and c.at >= m.sent_at)
      ), contributions as (
        select channel_id, user_id, sent_at, 1 as messages, sent_at / 60000 as minute, bits,
          0 as subs, 0 as resubs, 0 as gifted, 0 as raid
        from messages
        union all
        select channel_id, user_id, sent_at, 0, null, 0,
          (kind = ${code('sub')})::int, (kind = ${code('resub')})::int,
          case kind when ${code('subgift')} then 1 when ${code('submysterygift')} then count else 0 end,
          case kind when ${code('raid')} then count else 0 end
        from ev where kind in (${code('sub')}, ${code('resub')}, ${code('subgift')}, ${code('submysterygift')},
          ${code('raid')}) and user_id is not null
      ), ins as (
        insert into participation (epoch, channel_id, viewer, messages, active_minutes, subs, resubs, gifted_subs,
          bits, raid_viewers, first_seen, last_seen, source)
        select ${e}, channel_id, user_id::text, sum(messages)::int, least(count(distinct minute), ${maxMinutes}::int),
          sum(subs)::int, sum(resubs)::int, sum(gifted)::int, sum(bits)::int, sum(raid)::int,
          min(sent_at), max(sent_at), 'chat'
        from contributions group by channel_id, user_id
        returning 1
      )
      select (select count(*)::int from ev) as events, (select count(*)::int from ins) as participants`);
    events = inserted?.events ?? 0;
    participants = inserted?.participants ?? 0;
  }
  await query(sql`update epochs set dirty = false where epoch = ${e} and dirty`);
  return { epoch, events, participants };
}
