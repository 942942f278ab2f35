import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import { aggregateEpoch, type SealOptions, sealEpoch } from '../../src/epochs/index.js';
import { addChannels, allocationsOf, backends, E, HOUR, heartbeat, insertEvents, useDatabase } from './fixtures.js';

const NOW = (E + 2 * HOUR) * 1000;
const options: SealOptions = {
  epochSeconds: HOUR,
  graceSeconds: 0,
  deadAfterSeconds: 300,
  policy: { id: 'weighted-v1', params: { epochBudget: 1_000_000n, ratePerPoint: 1n } },
  now: NOW,
};

async function rejection(db: DatabaseHandle, statement: ReturnType<typeof sql>): Promise<string> {
  try {
    await db.query(statement);
  } catch (error) {
    return String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
  }
  return 'accepted';
}

describe.each(backends)('the sealed-epoch guard (migration 0001) on %s', (_, open) => {
  const db = useDatabase(open);

  it('lets aggregation and sealing through, then rejects every change to the sealed epoch', async () => {
    await addChannels(db(), [1]);
    await insertEvents(db(), [
      { id: 1, kind: 'sub', user: 100 },
      { id: 2, kind: 'sub', user: 100, epoch: E + HOUR },
    ]);
    await aggregateEpoch(db(), E, { epochSeconds: HOUR });
    await heartbeat(db(), 'a', NOW, NOW);
    expect(await sealEpoch(db(), E, options)).toMatchObject({ sealed: true, allocationCount: 1 });
    expect(await sealEpoch(db(), E, options)).toMatchObject({ sealed: true, alreadySealed: true });

    const e = sql`${E}::bigint`;
    const attempts = {
      allocationUpdate: sql`update allocations set amount = 1 where epoch = ${e}`,
      allocationDelete: sql`delete from allocations where epoch = ${e}`,
      allocationInsert: sql`insert into allocations values (${e}, 1, '7', 1, 1)`,
      allocationMovedIn: sql`insert into allocations values (${E + HOUR}::bigint, 1, '7', 1, 1)`,
      participationUpdate: sql`update participation set subs = 9 where epoch = ${e}`,
      participationDelete: sql`delete from participation where epoch = ${e}`,
      participationInsert: sql`insert into participation (epoch, channel_id, viewer) values (${e}, 1, '7')`,
      epochUpdate: sql`update epochs set dirty = true where epoch = ${e}`,
      epochDelete: sql`delete from epochs where epoch = ${e}`,
    };
    const results: Record<string, string> = {};
    for (const [name, statement] of Object.entries(attempts)) results[name] = await rejection(db(), statement);
    const { allocationMovedIn, ...rejected } = results;
    expect(allocationMovedIn).toBe('accepted'); // the next epoch is still open
    rejected.allocationMovedIntoSealed = await rejection(
      db(),
      sql`update allocations set epoch = ${e}, channel_id = 2 where epoch = ${E + HOUR}::bigint`,
    );
    await db().query(sql`delete from allocations where epoch = ${E + HOUR}::bigint`);
    for (const [name, message] of Object.entries(rejected)) {
      expect(message, name).toMatch(/^sealed epoch: (INSERT|UPDATE|DELETE)/);
    }
    expect(await allocationsOf(db())).toEqual([['1', '100', '1000', '1000']]);

    // The collector's upsert must skip sealed epochs, which the guard lets through as a no-op.
    await insertEvents(db(), [{ id: 3, kind: 'sub', user: 100 }]);
    expect(await db().query(sql`select status, dirty from epochs where epoch = ${e}`)).toEqual([
      { status: 'sealed', dirty: false },
    ]);
  });
});
