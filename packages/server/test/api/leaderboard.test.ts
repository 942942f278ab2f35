// leaderboard.global, leaderboard.channel and leaderboard.rank over tRPC and REST: exact ranks and totals, no wallet.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import type { AppRouter } from '../../src/routers/app.js';
import type { RunningServer } from '../../src/server.js';
import { codeOf, startTestServer, wallet } from '../helpers.js';

const E1 = Date.UTC(2026, 10, 2, 1) / 1000;
const E2 = E1 + 3600;
const OPEN = E2 + 3600;

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate users, channels, epochs, allocations, wallet_bindings`);
}

async function allocate(db: DatabaseHandle, epoch: number, channel: number, viewer: string, amount: bigint) {
  await db.query(sql`insert into allocations (epoch, channel_id, viewer, points, amount)
    values (${epoch}::bigint, ${channel}::bigint, ${viewer}, ${amount.toString()}::numeric, ${amount.toString()}::numeric)`);
}

describe.each(backends)('leaderboard on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  let server: RunningServer;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;
  beforeAll(async () => {
    server = await startTestServer(db());
    client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] });
  });
  afterAll(() => server.close());
  const rest = (path: string) => fetch(`${server.url}${path}`);

  beforeEach(async () => {
    await db().query(
      sql`insert into users (user_id, login) values (11, 'alice'), (22, 'bob'), (33, 'carol'), (44, 'dave')`,
    );
    await db().query(sql`insert into channels (login, channel_id, enabled) values ('chan_a', 1, true),
      ('chan_b', 2, true), ('chan_new', null, false)`);
    await db().query(sql`insert into epochs (epoch, length_seconds, status) values (${E1}::bigint, 3600, 'open'),
      (${E2}::bigint, 3600, 'open'), (${OPEN}::bigint, 3600, 'open')`);
    await db().query(sql`insert into wallet_bindings (user_id, wallet, via) values (11, ${wallet(1).bytes}, 'signature'),
      (22, ${wallet(2).bytes}, 'signature')`);
    await allocate(db(), E1, 1, '11', 100n);
    await allocate(db(), E1, 1, '22', 300n);
    await allocate(db(), E1, 1, 'legacy:abcd', 50n);
    await allocate(db(), E2, 2, '11', 250n);
    await allocate(db(), E2, 2, '44', 300n);
    await allocate(db(), E2, 2, '33', 0n);
    // An epoch not sealed yet counts for nobody.
    await allocate(db(), OPEN, 1, '33', 1000n);
    // Sealed once written (sealed epochs refuse new rows).
    await db().query(sql`update epochs set status = 'sealed' where epoch in (${E1}::bigint, ${E2}::bigint)`);
  });

  it('global: ranked by total over sealed epochs, ties share a rank, legacy viewers named legacy', async () => {
    const { entries } = await client.leaderboard.global.query({ limit: 10 });
    expect(entries).toEqual([
      { rank: 1, login: 'alice', total: '350' },
      { rank: 2, login: 'bob', total: '300' },
      { rank: 2, login: 'dave', total: '300' },
      { rank: 4, login: 'legacy', total: '50' },
    ]);
    expect((await client.leaderboard.global.query({ limit: 1 })).entries).toEqual([entries[0]]);
    const viaRest = await rest('/v1/leaderboard?limit=2');
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toEqual({ entries: entries.slice(0, 2) });
  });

  it('channel: the same within one channel, by its login', async () => {
    expect(await client.leaderboard.channel.query({ channel: 'chan_a', limit: 10 })).toEqual({
      channel: 'chan_a',
      entries: [
        { rank: 1, login: 'bob', total: '300' },
        { rank: 2, login: 'alice', total: '100' },
        { rank: 3, login: 'legacy', total: '50' },
      ],
    });
    const viaRest = await rest('/v1/leaderboard/channel/CHAN_B?limit=10');
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toEqual({
      channel: 'chan_b',
      entries: [
        { rank: 1, login: 'dave', total: '300' },
        { rank: 2, login: 'alice', total: '250' },
      ],
    });
    expect((await client.leaderboard.channel.query({ channel: 'chan_new', limit: 5 })).entries).toEqual([]);
    expect((await rest('/v1/leaderboard/channel/nobody')).status).toBe(404);
  });

  it("rank: a viewer's global rank and total by login or user id", async () => {
    expect(await client.leaderboard.rank.query({ login: 'Alice' })).toEqual({
      userId: '11',
      login: 'alice',
      total: '350',
      rank: 1,
    });
    expect(await client.leaderboard.rank.query({ userId: '44' })).toMatchObject({ login: 'dave', rank: 2 });
    expect(await client.leaderboard.rank.query({ login: 'carol' })).toEqual({
      userId: '33',
      login: 'carol',
      total: '0',
      rank: null,
    });
    const viaRest = await rest('/v1/leaderboard/rank?login=bob');
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toEqual({ userId: '22', login: 'bob', total: '300', rank: 2 });
    expect((await rest('/v1/leaderboard/rank?login=nobody')).status).toBe(404);
    expect((await rest('/v1/leaderboard/rank?userId=99')).status).toBe(404);
    await expect(client.leaderboard.rank.query({})).rejects.toThrow('exactly one');
  });

  it('bounds: limit 1..100 and well-formed logins, 400 over REST and BAD_REQUEST over tRPC', async () => {
    expect(await codeOf(client.leaderboard.global.query({ limit: 0 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.leaderboard.global.query({ limit: 101 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.leaderboard.channel.query({ channel: 'bad login', limit: 5 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.leaderboard.rank.query({ login: 'alice', userId: '11' }))).toBe('BAD_REQUEST');
    expect((await rest('/v1/leaderboard?limit=0')).status).toBe(400);
    expect((await rest('/v1/leaderboard?limit=101')).status).toBe(400);
    expect((await rest('/v1/leaderboard/channel/chan_a?limit=1000')).status).toBe(400);
    expect((await rest('/v1/leaderboard/rank?userId=abc')).status).toBe(400);
  });

  it('never reveals a wallet', async () => {
    const bodies = [
      JSON.stringify(await client.leaderboard.global.query({ limit: 100 })),
      JSON.stringify(await client.leaderboard.channel.query({ channel: 'chan_a', limit: 100 })),
      JSON.stringify(await client.leaderboard.rank.query({ login: 'alice' })),
      await (await rest('/v1/leaderboard/rank?login=bob')).text(),
    ];
    for (const body of bodies) {
      expect(body).not.toMatch(/wallet/i);
      for (const n of [1, 2]) {
        expect(body).not.toContain(wallet(n).base58);
        expect(body).not.toContain(Buffer.from(wallet(n).bytes).toString('hex'));
      }
    }
  });
});
