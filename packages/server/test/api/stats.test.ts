// stats.daily and stats.retention over tRPC and REST: exact figures from seeded rows, and input bounds.
import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { beforeEach, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { codeOf, useTestServer, wallet } from '../helpers.js';

const at = (iso: string) => Date.parse(iso) / 1000;
const E1 = at('2026-11-02T01:00:00Z');
const E2 = at('2026-11-02T05:00:00Z');
const E3 = at('2026-11-03T02:00:00Z');
const OPEN = at('2026-11-03T03:00:00Z');
const OLD = at('2026-10-20T01:00:00Z');

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate users, epochs, allocations, chat_events, claims, chain_claims, wallet_bindings`);
}

async function allocate(db: DatabaseHandle, epoch: number, viewer: string, amount: bigint) {
  await db.query(sql`insert into allocations (epoch, channel_id, viewer, points, amount)
    values (${epoch}::bigint, 1, ${viewer}, ${amount.toString()}::numeric, ${amount.toString()}::numeric)`);
}

async function chatEvents(db: DatabaseHandle, epoch: number, count: number) {
  for (let i = 0; i < count; i++) {
    await db.query(sql`insert into chat_events (event_id, epoch, channel_id, user_id, kind, sent_at)
      values (${randomUUID()}::uuid, ${epoch}::bigint, 1, 11, 1, ${epoch * 1000 + i}::bigint)`);
  }
}

async function directClaim(db: DatabaseHandle, walletNo: number, amount: bigint, status: string, finished: string) {
  const a = amount.toString();
  await db.query(sql`insert into claims (wallet, amount, total, paid_before, status, finished_at)
    values (${wallet(walletNo).bytes}, ${a}::numeric, ${a}::numeric, 0, ${status}, ${finished}::timestamptz)`);
}

async function chainClaim(
  db: DatabaseHandle,
  signature: string,
  walletNo: number,
  amount: bigint,
  time: string | null,
) {
  const a = amount.toString();
  await db.query(sql`insert into chain_claims (signature, event_index, claimer, amount, cumulative_total, root_seq, slot,
      block_time)
    values (${signature}, 0, ${wallet(walletNo).bytes}, ${a}::numeric, ${a}::numeric, 1, 10, ${time}::timestamptz)`);
}

describe.each(backends)('stats on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  const { server, client } = useTestServer(db);
  const rest = (path: string) => fetch(`${server().url}${path}`);

  beforeEach(async () => {
    await db().query(sql`insert into users (user_id, login, first_seen_at) values
      (11, 'alice', '2026-11-01T10:00:00Z'), (22, 'bob', '2026-11-02T00:00:00Z'),
      (33, 'carol', '2026-11-02T23:59:59Z'), (44, 'dave', '2026-10-20T00:00:00Z')`);
    for (const epoch of [E1, E2, E3, OPEN, OLD]) {
      await db().query(sql`insert into epochs (epoch, length_seconds) values (${epoch}::bigint, 3600)`);
    }
    await allocate(db(), E1, '11', 100n);
    await allocate(db(), E1, '22', 0n);
    await allocate(db(), E2, '11', 50n);
    await allocate(db(), E2, '33', 70n);
    await allocate(db(), E3, '22', 40n);
    await allocate(db(), OPEN, '44', 999n);
    await allocate(db(), OLD, '44', 10n);
    await db().query(sql`update epochs set status = 'sealed' where epoch <> ${OPEN}::bigint`);
    await chatEvents(db(), E1, 3);
    await chatEvents(db(), E3, 1);
    await chatEvents(db(), OLD, 1);
    await directClaim(db(), 1, 100n, 'settled', '2026-11-02T12:00:00Z');
    await directClaim(db(), 1, 30n, 'settled', '2026-11-03T01:00:00Z');
    await directClaim(db(), 4, 500n, 'failed', '2026-11-02T13:00:00Z');
    await chainClaim(db(), 's1', 3, 25n, '2026-11-03T05:00:00Z');
    await chainClaim(db(), 's2', 3, 5n, null);
    await chainClaim(db(), 's3', 2, 40n, '2026-11-01T08:00:00Z');
    await db().query(sql`insert into wallet_bindings (user_id, wallet, via) values (11, ${wallet(1).bytes}, 'signature'),
      (22, ${wallet(2).bytes}, 'signature'), (33, ${wallet(4).bytes}, 'signature')`);
  });

  it('daily: eligible users, staged total, chat events, new users and claims per UTC day', async () => {
    const { days } = await client().stats.daily.query({ days: 3, until: '2026-11-03' });
    expect(days).toEqual([
      {
        day: '2026-11-01',
        eligibleUsers: 0,
        stagedTotal: '0',
        chatEvents: 0,
        newUsers: 1,
        claims: 1,
        claimedTotal: '40',
      },
      {
        day: '2026-11-02',
        eligibleUsers: 2,
        stagedTotal: '220',
        chatEvents: 3,
        newUsers: 2,
        claims: 1,
        claimedTotal: '100',
      },
      {
        day: '2026-11-03',
        eligibleUsers: 1,
        stagedTotal: '40',
        chatEvents: 1,
        newUsers: 0,
        claims: 2,
        claimedTotal: '55',
      },
    ]);
    const viaRest = await rest('/v1/stats/daily?days=1&until=2026-11-02');
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toEqual({ days: [days[1]] });
    const before = new Date().toISOString().slice(0, 10);
    const today = await client().stats.daily.query({ days: 90 });
    const after = new Date().toISOString().slice(0, 10);
    expect(today.days).toHaveLength(90);
    expect([before, after]).toContain(today.days.at(-1)?.day);
  });

  it('retention: claimers and repeat claimers by wallet, claim rate by weekly cohort of first allocation', async () => {
    expect(await client().stats.retention.query({ weeks: 12 })).toEqual({
      claimers: 3,
      repeatClaimers: 2,
      cohorts: [
        { week: '2026-10-19', viewers: 1, boundViewers: 0, claimedViewers: 0, claimRate: null },
        { week: '2026-11-02', viewers: 3, boundViewers: 3, claimedViewers: 2, claimRate: 2 / 3 },
      ],
    });
    const viaRest = await rest('/v1/stats/retention?weeks=1');
    expect(viaRest.status).toBe(200);
    expect(((await viaRest.json()) as { cohorts: { week: string }[] }).cohorts.map((c) => c.week)).toEqual([
      '2026-11-02',
    ]);
  });

  it('bounds: days 1..90, a real until day, weeks 1..104; 400 over REST, BAD_REQUEST over tRPC', async () => {
    expect(await codeOf(client().stats.daily.query({ days: 0 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client().stats.daily.query({ days: 91 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client().stats.daily.query({ days: 3, until: '2026-02-30' }))).toBe('BAD_REQUEST');
    expect(await codeOf(client().stats.retention.query({ weeks: 105 }))).toBe('BAD_REQUEST');
    expect((await rest('/v1/stats/daily?days=0')).status).toBe(400);
    expect((await rest('/v1/stats/daily?days=91')).status).toBe(400);
    expect((await rest('/v1/stats/daily?until=yesterday')).status).toBe(400);
    expect((await rest('/v1/stats/retention?weeks=0')).status).toBe(400);
  });
});
