// Bulk writes of validated backfill rows, inside the import's transaction.
import { pgArray, sql } from '@attention-oracle/db';
import type { BackfillRow } from './backfill-row.js';
import { type Query, textArray } from './query-internal.js';

/** A row with the line it came from. */
export interface LineRow {
  readonly line: number;
  readonly row: BackfillRow;
}

/**
 * The first epoch of `epochs` that already has an epochs row or chat events (an import only creates epochs), with
 * what it has, or undefined.
 */
export async function firstTakenEpoch(
  query: Query,
  epochs: readonly number[],
): Promise<{ epoch: number; status: string } | undefined> {
  const [taken] = await query<{ epoch: string; status: string }>(sql`
    select e::text as epoch, coalesce((select status from epochs where epoch = e), 'events') as status
    from unnest(${pgArray(epochs)}::bigint[]) as e
    where exists (select 1 from epochs where epoch = e) or exists (select 1 from chat_events where epoch = e)
    order by e limit 1`);
  return taken === undefined ? undefined : { epoch: Number(taken.epoch), status: taken.status };
}

/** Index into `rows` of the first row whose (epoch, channel, viewer) is already in participation, or -1. */
export async function firstStoredRow(query: Query, rows: readonly LineRow[]): Promise<number> {
  const [found] = await query<{ i: number }>(sql`
    select (t.i - 1)::int as i
    from unnest(${pgArray(rows.map((r) => r.row.epoch))}::bigint[], ${pgArray(rows.map((r) => r.row.channelId))}::bigint[],
      ${textArray(rows.map((r) => r.row.viewer))}::text[]) with ordinality as t(e, c, v, i)
    where exists (select 1 from participation p where p.epoch = t.e and p.channel_id = t.c and p.viewer = t.v)
    order by t.i limit 1`);
  return found?.i ?? -1;
}

/** Creates the epochs rows of an import, open until it seals them. */
export async function createEpochs(query: Query, epochs: readonly number[], epochSeconds: number): Promise<void> {
  await query(sql`insert into epochs (epoch, length_seconds, source)
    select e, ${epochSeconds}::int, 'backfill' from unnest(${pgArray(epochs)}::bigint[]) as e`);
}

/** Inserts rows as `source = 'backfill'` participation, recording legacy login hashes in legacy_identities. */
export async function insertRows(query: Query, rows: readonly LineRow[]): Promise<void> {
  const hashes = [...new Set(rows.flatMap((r) => (r.row.loginHash === null ? [] : [r.row.loginHash])))];
  if (hashes.length > 0) {
    await query(sql`insert into legacy_identities (login_hash)
      select decode(h, 'hex') from unnest(${textArray(hashes)}::text[]) as h on conflict do nothing`);
  }
  const column = (i: number) => pgArray(rows.map((r) => r.row.counters[i] ?? 0));
  await query(sql`
    insert into participation (epoch, channel_id, viewer, messages, active_minutes, subs, resubs, gifted_subs, bits,
      raid_viewers, source)
    select e, c, v, m, am, s, rs, g, b, rv, 'backfill'
    from unnest(${pgArray(rows.map((r) => r.row.epoch))}::bigint[], ${pgArray(rows.map((r) => r.row.channelId))}::bigint[],
      ${textArray(rows.map((r) => r.row.viewer))}::text[], ${column(0)}::int[], ${column(1)}::int[], ${column(2)}::int[],
      ${column(3)}::int[], ${column(4)}::int[], ${column(5)}::int[], ${column(6)}::int[])
      as t(e, c, v, m, am, s, rs, g, b, rv)`);
}
