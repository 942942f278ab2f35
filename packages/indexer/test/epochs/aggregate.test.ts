import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import { aggregateDirtyEpochs, aggregateEpoch, SealedEpochError } from '../../src/epochs/index.js';
import {
  backends,
  E,
  HOUR,
  insertEvents,
  MINUTE_MS,
  participationOf,
  type TestEvent,
  useDatabase,
} from './fixtures.js';

const row = (channel: number, viewer: string, counters: Record<string, number>) => ({
  channel,
  viewer,
  messages: 0,
  active_minutes: 0,
  subs: 0,
  resubs: 0,
  gifted_subs: 0,
  bits: 0,
  raid_viewers: 0,
  source: 'chat',
  ...counters,
});

// Every kind: messages (some removed by clearmsg and clearchat), subs, gifts, mystery gifts, a raid, a user-less event.
const EVENTS: TestEvent[] = [
  { id: 1, kind: 'message', user: 100, at: 0, bits: 10 },
  { id: 2, kind: 'message', user: 100, at: 30_000 },
  { id: 3, kind: 'message', user: 100, at: 5 * MINUTE_MS, bits: 5 },
  { id: 4, kind: 'message', user: 100, at: 7 * MINUTE_MS, bits: 1000 },
  { id: 5, kind: 'clearmsg', user: null, at: 8 * MINUTE_MS, target: 4 },
  { id: 6, kind: 'message', user: 100, channel: 2, at: 9 * MINUTE_MS },
  { id: 10, kind: 'message', user: 101, at: 1 * MINUTE_MS, bits: 100 },
  { id: 11, kind: 'message', user: 101, at: 2 * MINUTE_MS },
  { id: 12, kind: 'clearchat', user: 101, at: 2 * MINUTE_MS },
  { id: 13, kind: 'message', user: 101, at: 4 * MINUTE_MS },
  { id: 14, kind: 'message', user: 101, channel: 2, at: 1 * MINUTE_MS },
  { id: 20, kind: 'sub', user: 102, at: 10 * MINUTE_MS },
  { id: 21, kind: 'resub', user: 102, at: 11 * MINUTE_MS },
  { id: 22, kind: 'subgift', user: 102, at: 12 * MINUTE_MS },
  { id: 23, kind: 'subgift', user: 102, at: 13 * MINUTE_MS },
  { id: 24, kind: 'submysterygift', user: 102, at: 14 * MINUTE_MS, count: 5 },
  { id: 25, kind: 'raid', user: 102, at: 15 * MINUTE_MS, count: 42 },
  { id: 26, kind: 'message', user: null, at: 16 * MINUTE_MS },
  { id: 27, kind: 'submysterygift', user: null, at: 17 * MINUTE_MS, count: 3 },
  { id: 28, kind: 'message', user: 103, at: 59 * MINUTE_MS },
  { id: 29, kind: 'clearchat', user: 103, at: 59 * MINUTE_MS + 1 },
];

const EXPECTED = [
  row(1, '100', {
    messages: 3,
    active_minutes: 2,
    bits: 15,
    first_seen: E * 1000,
    last_seen: E * 1000 + 5 * MINUTE_MS,
  }),
  row(1, '101', {
    messages: 1,
    active_minutes: 1,
    first_seen: E * 1000 + 4 * MINUTE_MS,
    last_seen: E * 1000 + 4 * MINUTE_MS,
  }),
  row(1, '102', {
    subs: 1,
    resubs: 1,
    gifted_subs: 7,
    raid_viewers: 42,
    first_seen: E * 1000 + 10 * MINUTE_MS,
    last_seen: E * 1000 + 15 * MINUTE_MS,
  }),
  row(2, '100', {
    messages: 1,
    active_minutes: 1,
    first_seen: E * 1000 + 9 * MINUTE_MS,
    last_seen: E * 1000 + 9 * MINUTE_MS,
  }),
  row(2, '101', { messages: 1, active_minutes: 1, first_seen: E * 1000 + MINUTE_MS, last_seen: E * 1000 + MINUTE_MS }),
];

describe.each(backends)('aggregation on %s', (_, open) => {
  const db = useDatabase(open);

  it('counts every kind, removes cleared messages, and clears the dirty flag', async () => {
    await insertEvents(db(), EVENTS);
    const result = await aggregateEpoch(db(), E, { epochSeconds: HOUR });
    expect(result).toEqual({ epoch: E, events: EVENTS.length, participants: 5 });
    expect(await participationOf(db())).toEqual(EXPECTED);
    expect(await db().query(sql`select dirty from epochs where epoch = ${E}::bigint`)).toEqual([{ dirty: false }]);
  });

  it('is idempotent and recomputes the whole epoch when more events arrive', async () => {
    await insertEvents(db(), EVENTS.slice(0, 10));
    await aggregateEpoch(db(), E, { epochSeconds: HOUR });
    await insertEvents(db(), EVENTS.slice(10));
    expect((await aggregateDirtyEpochs(db(), { epochSeconds: HOUR })).map((r) => r.epoch)).toEqual([E]);
    const first = await participationOf(db());
    await aggregateEpoch(db(), E, { epochSeconds: HOUR });
    expect(await participationOf(db())).toEqual(first);
    expect(first).toEqual(EXPECTED);
    expect(await aggregateDirtyEpochs(db(), { epochSeconds: HOUR })).toEqual([]);
  });

  it('counts distinct active minutes, capped at 60 even in longer epochs', async () => {
    const long = 2 * HOUR;
    await db().query(sql`insert into epochs (epoch, length_seconds) values (${E}::bigint, ${long}::int)`);
    // 90 distinct minutes, two messages in each.
    const events = Array.from(
      { length: 180 },
      (_, i): TestEvent => ({
        id: 1000 + i,
        kind: 'message',
        user: 7,
        at: Math.floor(i / 2) * MINUTE_MS + (i % 2) * 1000,
      }),
    );
    await insertEvents(db(), events);
    await aggregateEpoch(db(), E, { epochSeconds: long });
    const [stored] = await participationOf(db());
    expect(stored).toMatchObject({ viewer: '7', messages: 180, active_minutes: 60 });
  });

  it('aggregates dirty epochs oldest first, skipping sealed ones', async () => {
    await insertEvents(db(), [
      { id: 1, kind: 'message', epoch: E + 2 * HOUR },
      { id: 2, kind: 'message', epoch: E },
      { id: 3, kind: 'message', epoch: E + HOUR },
    ]);
    await db().query(sql`update epochs set status = 'sealed' where epoch = ${E + HOUR}::bigint`);
    const done = await aggregateDirtyEpochs(db(), { epochSeconds: HOUR });
    expect(done.map((r) => r.epoch)).toEqual([E, E + 2 * HOUR]);
  });

  it('never touches a sealed epoch', async () => {
    await insertEvents(db(), EVENTS);
    await aggregateEpoch(db(), E, { epochSeconds: HOUR });
    await db().query(sql`update epochs set status = 'sealed' where epoch = ${E}::bigint`);
    await insertEvents(db(), [{ id: 99, kind: 'message', user: 555 }]);
    await expect(aggregateEpoch(db(), E, { epochSeconds: HOUR })).rejects.toThrow(SealedEpochError);
    await expect(aggregateEpoch(db(), E, { epochSeconds: HOUR })).rejects.toThrow(
      `epoch ${E} is sealed: cannot aggregate its participation`,
    );
    expect(await participationOf(db())).toEqual(EXPECTED);
  });

  it('rejects an epoch length that differs from the stored one, and unaligned epochs', async () => {
    await insertEvents(db(), [{ id: 1, kind: 'message' }]);
    await expect(aggregateEpoch(db(), E, { epochSeconds: 60 })).rejects.toThrow(
      `epoch ${E} has length 3600 s in the database, but 60 s is configured`,
    );
    await expect(aggregateEpoch(db(), E + 1, { epochSeconds: HOUR })).rejects.toThrow(
      'is not the start of a 3600 s epoch',
    );
  });
});
