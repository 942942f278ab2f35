import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase, pgArray, sql } from '../src/index.js';
import { chatEvents, epochs } from '../src/schema/index.js';
import { TEST_BACKENDS } from '../src/testing.js';

const backends = TEST_BACKENDS;

describe.each(backends)('database on %s', (_, open) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, drop } = await open());
  });
  afterAll(() => drop());

  it('applies the migrations and round-trips u64 amounts and bigint ids', async () => {
    await handle.db.insert(epochs).values({ epoch: 3600, lengthSeconds: 3600, total: 18446744073709551615n });
    const [row] = await handle.db.select().from(epochs);
    expect(row?.total).toBe(18446744073709551615n);
    expect(row?.status).toBe('open');
  });

  it('bulk-inserts through unnest arrays, skipping duplicates', async () => {
    const ids = ['6b8f1f46-3c8e-4d0e-9b1a-0f5b2a1d9e01', '6b8f1f46-3c8e-4d0e-9b1a-0f5b2a1d9e02'];
    const insert = () =>
      handle.query(sql`
        insert into chat_events (event_id, epoch, channel_id, user_id, kind, sent_at)
        select * from unnest(${pgArray(ids)}::uuid[], ${pgArray([0, 0])}::bigint[], ${pgArray([1n, 1n])}::bigint[],
          ${pgArray([5n, null])}::bigint[], ${pgArray([1, 8])}::smallint[], ${pgArray([10, 20])}::bigint[])
        on conflict do nothing`);
    await insert();
    await insert();
    const rows = await handle.db.select().from(chatEvents);
    expect(rows.map((r) => [r.eventId, r.userId])).toEqual([
      [ids[0], 5n],
      [ids[1], null],
    ]);
    expect(await handle.query<{ n: string | number }>(sql`select count(*)::int as n from chat_events`)).toEqual([
      { n: 2 },
    ]);
  });
});

describe('openDatabase', () => {
  it('fails loudly when PostgreSQL is unreachable', async () => {
    await expect(
      openDatabase({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', maxConnections: 1 }),
    ).rejects.toThrow(/database migration failed \(postgres\)/);
  });
});
