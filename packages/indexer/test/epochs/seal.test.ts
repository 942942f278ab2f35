import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import {
  aggregateEpoch,
  SealedEpochError,
  type SealOptions,
  sealEpoch,
  sealReadyEpochs,
} from '../../src/epochs/index.js';
import {
  addChannels,
  allocationsOf,
  backends,
  E,
  HOUR,
  heartbeat,
  insertEvents,
  MINUTE_MS,
  useDatabase,
} from './fixtures.js';

const GRACE = 60;
const SEAL_AT_MS = (E + HOUR + GRACE) * 1000; // the first moment epoch E may seal
const options = (now: number, overrides: Partial<SealOptions> = {}): SealOptions => ({
  epochSeconds: HOUR,
  graceSeconds: GRACE,
  deadAfterSeconds: 300,
  policy: { id: 'weighted-v1', params: { epochBudget: 1_000_000n, ratePerPoint: 1n } },
  now,
  ...overrides,
});

describe.each(backends)('sealing on %s', (_, open) => {
  const db = useDatabase(open);
  const auditCount = async (action: string) =>
    (await db().query<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action}`))[0]?.n;

  async function busyEpoch(epoch = E) {
    await addChannels(db(), [1]);
    await insertEvents(db(), [
      { id: epoch + 1, epoch, kind: 'message', user: 100, at: 0, bits: 15 },
      { id: epoch + 2, epoch, kind: 'message', user: 100, at: 5 * MINUTE_MS },
      { id: epoch + 3, epoch, kind: 'sub', user: 101, at: MINUTE_MS },
    ]);
  }

  it('waits for a lagging collector, then seals with everything it flushed', async () => {
    await busyEpoch();
    const now = SEAL_AT_MS + 5000;
    await heartbeat(db(), 'a', SEAL_AT_MS, now);
    await heartbeat(db(), 'b', SEAL_AT_MS - 10_000, now);
    const waiting = await sealEpoch(db(), E, options(now));
    expect(waiting).toMatchObject({ sealed: false, waitingFor: ['b'], dead: [] });
    expect(waiting.sealed === false && waiting.reason).toContain('waits for collectors b');
    expect(await allocationsOf(db())).toEqual([]);

    // b flushes what it had (a late message in the epoch), then reports its watermark.
    await insertEvents(db(), [{ id: 50, kind: 'message', user: 102, at: 59 * MINUTE_MS }]);
    await heartbeat(db(), 'b', SEAL_AT_MS, now);
    const sealed = await sealEpoch(db(), E, options(now));
    expect(sealed).toMatchObject({ sealed: true, alreadySealed: false, eventCount: 4, participantCount: 3 });
    expect(await allocationsOf(db())).toEqual([
      ['1', '100', '215', '215'],
      ['1', '101', '1000', '1000'],
      ['1', '102', '100', '100'],
    ]);
    const [row] = await db().query(sql`select status, dirty, source, total::text as total, allocation_count,
      scaled_by_budget, encode(input_hash, 'hex') as hash from epochs where epoch = ${E}::bigint`);
    expect(row).toEqual({
      status: 'sealed',
      dirty: false,
      source: 'chat',
      total: '1315',
      allocation_count: 3,
      scaled_by_budget: false,
      hash: sealed.sealed ? sealed.inputHash : '',
    });
    expect(await auditCount('epoch.sealed')).toBe(1);
  });

  it('is not ready before end + grace, nor when every collector is dead; a stopped one holds nothing back', async () => {
    await busyEpoch();
    await heartbeat(db(), 'a', SEAL_AT_MS, SEAL_AT_MS - 1000);
    expect(await sealEpoch(db(), E, options(SEAL_AT_MS - 1000))).toMatchObject({ sealed: false, waitingFor: [] });
    const outage = await sealEpoch(db(), E, options(SEAL_AT_MS + 3_600_000));
    expect(outage).toMatchObject({ sealed: false, dead: ['a'] });
    expect((outage as { reason: string }).reason).toMatch(`epoch ${E} has no live collector`);
    await heartbeat(db(), 'a', SEAL_AT_MS, SEAL_AT_MS, 'stopped');
    expect(await sealEpoch(db(), E, options(SEAL_AT_MS))).toMatchObject({ sealed: true });
  });

  it('creates no row for an epoch asked about too early, and seals a quiet epoch empty once ready', async () => {
    await heartbeat(db(), 'a', SEAL_AT_MS, SEAL_AT_MS);
    expect(await sealEpoch(db(), E + HOUR, options(SEAL_AT_MS))).toMatchObject({ sealed: false });
    expect(await db().query(sql`select epoch from epochs`)).toEqual([]);
    expect(await sealEpoch(db(), E, options(SEAL_AT_MS))).toMatchObject({
      sealed: true,
      eventCount: 0,
      participantCount: 0,
      allocationCount: 0,
      total: 0n,
    });
  });

  it('ignores and reports a dead collector, auditing it once per silence; stopped collectors never block', async () => {
    await busyEpoch();
    await busyEpoch(E + HOUR);
    const now = SEAL_AT_MS + HOUR * 1000;
    await heartbeat(db(), 'live', now, now);
    await heartbeat(db(), 'dead', E * 1000, now - 301_000);
    await heartbeat(db(), 'stopped', E * 1000, now - 10_000, 'stopped');
    const first = await sealEpoch(db(), E, options(now));
    expect(first).toMatchObject({ sealed: true, dead: ['dead'] });
    const second = await sealEpoch(db(), E + HOUR, options(now));
    expect(second).toMatchObject({ sealed: true, dead: ['dead'] });
    expect(await auditCount('collector.dead')).toBe(1);

    // It comes back, then falls silent again: a new silence, a new entry.
    await heartbeat(db(), 'dead', E * 1000, now + 60_000);
    await insertEvents(db(), [{ id: 77, kind: 'message', epoch: E + 2 * HOUR }]);
    const later = now + 2 * HOUR * 1000;
    await heartbeat(db(), 'live', later, later);
    expect(await sealEpoch(db(), E + 2 * HOUR, options(later))).toMatchObject({ sealed: true, dead: ['dead'] });
    expect(await auditCount('collector.dead')).toBe(2);
  });

  it('is idempotent, and a sealed epoch is never modified', async () => {
    await busyEpoch();
    await heartbeat(db(), 'a', SEAL_AT_MS, SEAL_AT_MS);
    const first = await sealEpoch(db(), E, options(SEAL_AT_MS));
    const snapshot = async () => ({
      allocations: await allocationsOf(db()),
      epoch: await db().query(sql`select *, input_hash::text as input_hash from epochs`),
      participation: await db().query(sql`select * from participation order by viewer`),
    });
    const before = await snapshot();

    // More events for the sealed epoch (a flusher race), a new suppression, a different policy: nothing changes.
    await db().query(sql`insert into chat_events (event_id, epoch, channel_id, user_id, kind, sent_at)
      values ('00000000-0000-4000-8000-00000000ffff', ${E}::bigint, 1, 999, 1, ${E * 1000}::bigint)`);
    await db().query(sql`insert into suppressions (user_id) values (100)`);
    const again = await sealEpoch(
      db(),
      E,
      options(SEAL_AT_MS + 1000, { policy: { id: 'weighted-v1', params: { epochBudget: 1n } } }),
    );
    expect(again).toEqual({ ...first, alreadySealed: true, dead: [] });
    await expect(aggregateEpoch(db(), E, { epochSeconds: HOUR })).rejects.toThrow(SealedEpochError);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount('epoch.sealed')).toBe(1);
  });

  it('seals missed epochs in order, stopping at the first that is not ready', async () => {
    for (const epoch of [E, E + HOUR, E + 2 * HOUR]) await busyEpoch(epoch);
    const now = SEAL_AT_MS + 3 * HOUR * 1000;
    await heartbeat(db(), 'a', SEAL_AT_MS + HOUR * 1000, now); // flushed through the second epoch only
    const first = await sealReadyEpochs(db(), options(now));
    expect(first.sealed.map((s) => s.epoch)).toEqual([E, E + HOUR]);
    expect(first.waiting).toMatchObject({ sealed: false, epoch: E + 2 * HOUR, waitingFor: ['a'] });
    const order = await db().query<{ subject: string }>(sql`
      select subject from audit_log where action = 'epoch.sealed' order by id`);
    expect(order.map((r) => Number(r.subject))).toEqual([E, E + HOUR]);

    await heartbeat(db(), 'a', now, now);
    const rest = await sealReadyEpochs(db(), options(now));
    expect(rest.sealed.map((s) => s.epoch)).toEqual([E + 2 * HOUR]);
    expect(rest.waiting).toBeUndefined();
    expect(await sealReadyEpochs(db(), options(now))).toEqual({ sealed: [] });
  });

  it('excludes suppressed viewers, bots and disabled channels, and the hash records the lists', async () => {
    await addChannels(db(), [1, 3], [2]);
    const events = [
      { id: 1, kind: 'sub' as const, user: 100, channel: 1 },
      { id: 2, kind: 'sub' as const, user: 200, channel: 1 }, // suppressed
      { id: 3, kind: 'sub' as const, user: 300, channel: 1 }, // a bot
      { id: 4, kind: 'sub' as const, user: 100, channel: 2 }, // disabled channel
      { id: 5, kind: 'sub' as const, user: 100, channel: 4 }, // unknown channel
      { id: 6, kind: 'sub' as const, user: 400, channel: 3 },
    ];
    await insertEvents(db(), events);
    await db().query(sql`insert into suppressions (user_id) values (200), (201)`);
    await db().query(sql`insert into bots (user_id) values (300)`);
    await heartbeat(db(), 'a', SEAL_AT_MS, SEAL_AT_MS);
    const sealed = await sealEpoch(db(), E, options(SEAL_AT_MS));
    expect(await allocationsOf(db())).toEqual([
      ['1', '100', '1000', '1000'],
      ['3', '400', '1000', '1000'],
    ]);
    expect(sealed).toMatchObject({ sealed: true, participantCount: 2, eventCount: 6 });

    // The same events without the lists seal to a different hash.
    await db().query(sql`truncate epochs, participation, allocations, suppressions, bots`);
    await db().query(sql`insert into epochs (epoch, length_seconds, dirty) values (${E}::bigint, ${HOUR}::int, true)`);
    const unlisted = await sealEpoch(db(), E, options(SEAL_AT_MS));
    expect(unlisted.sealed && sealed.sealed && unlisted.inputHash !== sealed.inputHash).toBe(true);
    expect((await allocationsOf(db())).length).toBe(4);
  });

  it('scales to the epoch budget and records it', async () => {
    await busyEpoch();
    await heartbeat(db(), 'a', SEAL_AT_MS, SEAL_AT_MS);
    const policy = { id: 'weighted-v1' as const, params: { epochBudget: 1000n, ratePerPoint: 1n } };
    const sealed = await sealEpoch(db(), E, options(SEAL_AT_MS, { policy }));
    expect(sealed).toMatchObject({ sealed: true, total: 1000n, scaledByBudget: true });
    expect((await allocationsOf(db())).map((a) => a[3])).toEqual(['177', '823']); // 215 and 1000 points: 1215 scaled to 1000
  });
});
