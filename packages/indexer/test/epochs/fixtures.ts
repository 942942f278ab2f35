// Shared test setup: both database backends, and terse writers for the tables the epochs code reads.
import { CHAT_EVENT_KIND_CODES, type ChatEventKindName, type DatabaseHandle, sql } from '@attention-oracle/db';
import { TEST_BACKENDS } from '@attention-oracle/db/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';

type Open = (typeof TEST_BACKENDS)[number][1];

/** Every backend the SQL must work on, for describe.each. */
export const backends = TEST_BACKENDS;

/** Empties the tables the epochs code reads and writes. */
async function resetEpochTables(db: DatabaseHandle): Promise<void> {
  await db.query(sql`truncate chat_events, epochs, participation, allocations, audit_log, collector_heartbeats,
    channels, suppressions, bots, late_events, legacy_identities, paid_imports, corrections`);
}

/** Opens `open` once for the suite, runs `reset` before each test; returns a getter for the handle. */
export function useDatabase(
  open: Open,
  reset: (db: DatabaseHandle) => Promise<void> = resetEpochTables,
): () => DatabaseHandle {
  let handle: DatabaseHandle | undefined;
  let drop = async () => {};
  beforeAll(async () => {
    ({ handle, drop } = await open());
  });
  afterAll(() => drop());
  beforeEach(async () => {
    if (handle !== undefined) await reset(handle);
  });
  return () => {
    if (handle === undefined) throw new Error('database not open yet');
    return handle;
  };
}

/** An hourly epoch in November 2023, and its length. */
export const E = 1_699_999_200;
export const HOUR = 3600;
export const MINUTE_MS = 60_000;

/** A deterministic UUID for event number `n`. */
export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export interface TestEvent {
  id: number;
  kind: ChatEventKindName;
  channel?: number;
  user?: number | null;
  /** Milliseconds after the start of `epoch`. */
  at?: number;
  epoch?: number;
  bits?: number;
  count?: number;
  target?: number;
}

/** Inserts events and marks their epochs dirty, as the collector's flusher does. */
export async function insertEvents(db: DatabaseHandle, events: readonly TestEvent[]): Promise<void> {
  for (const e of events) {
    const epoch = e.epoch ?? E;
    await db.query(sql`insert into chat_events (event_id, epoch, channel_id, user_id, kind, sent_at, bits, count, target_id)
      values (${uuid(e.id)}::uuid, ${epoch}::bigint, ${e.channel ?? 1}::bigint, ${e.user === undefined ? 100 : e.user}::bigint,
        ${CHAT_EVENT_KIND_CODES[e.kind]}::smallint, ${epoch * 1000 + (e.at ?? 0)}::bigint, ${e.bits ?? 0}::int,
        ${e.count ?? 0}::int, ${e.target === undefined ? null : uuid(e.target)}::uuid)`);
    await db.query(sql`insert into epochs (epoch, length_seconds, dirty) values (${epoch}::bigint, ${HOUR}::int, true)
      on conflict (epoch) do update set dirty = true where epochs.status = 'open'`);
  }
}

/** Channels by id, enabled unless listed in `disabled`. */
export async function addChannels(db: DatabaseHandle, ids: readonly number[], disabled: readonly number[] = []) {
  for (const id of [...ids, ...disabled]) {
    await db.query(sql`insert into channels (login, channel_id, enabled)
      values (${`channel_${id}`}, ${id}::bigint, ${!disabled.includes(id)}) on conflict do nothing`);
  }
}

/** Upserts a collector heartbeat; times are unix ms. */
export async function heartbeat(
  db: DatabaseHandle,
  id: string,
  flushedThroughMs: number,
  lastHeartbeatMs: number,
  status: 'live' | 'stopped' = 'live',
) {
  await db.query(sql`insert into collector_heartbeats (collector_id, flushed_through, last_heartbeat, started_at, status)
    values (${id}, ${flushedThroughMs}::bigint, to_timestamp(${lastHeartbeatMs}::float8 / 1000), now(), ${status})
    on conflict (collector_id) do update set flushed_through = excluded.flushed_through,
      last_heartbeat = excluded.last_heartbeat, status = excluded.status`);
}

/** Participation rows of `epoch` as plain tuples, sorted. */
export async function participationOf(db: DatabaseHandle, epoch = E) {
  return db.query<Record<string, unknown>>(sql`
    select channel_id::int as channel, viewer, messages, active_minutes, subs, resubs, gifted_subs, bits, raid_viewers,
      first_seen::float8 as first_seen, last_seen::float8 as last_seen, source
    from participation where epoch = ${epoch}::bigint order by channel_id, viewer collate "C"`);
}

/** Allocations of `epoch` as [channel, viewer, points, amount] strings, sorted. */
export async function allocationsOf(db: DatabaseHandle, epoch = E) {
  const rows = await db.query<{ c: string; v: string; p: string; a: string }>(sql`
    select channel_id::text as c, viewer as v, points::text as p, amount::text as a
    from allocations where epoch = ${epoch}::bigint order by channel_id, viewer collate "C"`);
  return rows.map((r) => [r.c, r.v, r.p, r.a]);
}
