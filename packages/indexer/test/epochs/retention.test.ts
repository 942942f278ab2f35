import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import { deleteExpiredEvents, lateEventReport } from '../../src/epochs/index.js';
import { backends, E, HOUR, insertEvents, useDatabase } from './fixtures.js';

const DAY_MS = 86_400_000;
const NOW = E * 1000 + 100 * DAY_MS;

describe.each(backends)('retention and late events on %s', (_, open) => {
  const db = useDatabase(open);

  it('deletes, in batches, only the events of epochs sealed more than N days ago', async () => {
    const epochs = [E, E + HOUR, E + 2 * HOUR];
    for (const [i, epoch] of epochs.entries()) {
      await insertEvents(
        db(),
        Array.from({ length: 5 }, (_, n) => ({ id: 10 * i + n, kind: 'message' as const, epoch })),
      );
    }
    await db().query(sql`insert into participation (epoch, channel_id, viewer) values (${E}::bigint, 1, '100')`);
    await db().query(sql`insert into allocations values (${E}::bigint, 1, '100', 1, 1)`);
    // E sealed 31 days ago, E + 1 h 29 days ago, E + 2 h still open.
    for (const [epoch, days] of [
      [E, 31],
      [E + HOUR, 29],
    ] as const) {
      await db().query(sql`update epochs set status = 'sealed', sealed_at = to_timestamp(${(NOW - days * DAY_MS) / 1000}::float8)
        where epoch = ${epoch}::bigint`);
    }
    expect(await deleteExpiredEvents(db(), { now: NOW, batchSize: 2 })).toBe(5);
    expect(await deleteExpiredEvents(db(), { now: NOW })).toBe(0);
    const left = await db().query<{ epoch: string; n: number }>(sql`
      select epoch::text as epoch, count(*)::int as n from chat_events group by epoch order by epoch`);
    expect(left).toEqual([
      { epoch: String(E + HOUR), n: 5 },
      { epoch: String(E + 2 * HOUR), n: 5 },
    ]);
    expect(await db().query(sql`select count(*)::int as n from participation`)).toEqual([{ n: 1 }]);
    expect(await db().query(sql`select count(*)::int as n from allocations`)).toEqual([{ n: 1 }]);
    expect(await db().query(sql`select count(*)::int as n from epochs`)).toEqual([{ n: 3 }]);
    expect(await deleteExpiredEvents(db(), { now: NOW, olderThanDays: 20 })).toBe(5);
    await expect(deleteExpiredEvents(db(), { olderThanDays: -1 })).rejects.toThrow(
      'olderThanDays must be a non-negative',
    );
  });

  it('reports late events per epoch', async () => {
    expect(await lateEventReport(db())).toEqual([]);
    await db().query(sql`insert into late_events (event_id, epoch, channel_id, user_id, kind, sent_at, received_at) values
      ('00000000-0000-4000-8000-000000000001', ${E}::bigint, 1, 5, 1, ${E * 1000 + 5}::bigint, to_timestamp(${E + 7200}::float8)),
      ('00000000-0000-4000-8000-000000000002', ${E}::bigint, 2, 6, 1, ${E * 1000 + 9}::bigint, to_timestamp(${E + 7300}::float8)),
      ('00000000-0000-4000-8000-000000000003', ${E + HOUR}::bigint, 2, null, 8, ${(E + HOUR) * 1000}::bigint, to_timestamp(${E + 9000}::float8))`);
    expect(await lateEventReport(db())).toEqual([
      {
        epoch: E,
        events: 2,
        channels: 2,
        firstSentAt: E * 1000 + 5,
        lastSentAt: E * 1000 + 9,
        firstReceivedAt: (E + 7200) * 1000,
        lastReceivedAt: (E + 7300) * 1000,
      },
      {
        epoch: E + HOUR,
        events: 1,
        channels: 1,
        firstSentAt: (E + HOUR) * 1000,
        lastSentAt: (E + HOUR) * 1000,
        firstReceivedAt: (E + 9000) * 1000,
        lastReceivedAt: (E + 9000) * 1000,
      },
    ]);
  });
});
