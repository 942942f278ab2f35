// leaderboard.global, leaderboard.channel and leaderboard.rank over tRPC and REST: exact ranks and totals, no wallet;
// read from the totals the seal maintains; opted-out viewers left out; legacy viewers counted for the user once joined.

import { legacyLoginKey, toHex } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { addSealedEpochsToLeaderboard } from '@attention-oracle/indexer';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { joinLegacyViewer } from '../../../indexer/src/ledger/index.js';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { rankOfTotal, standingOf } from '../../src/leaderboard.js';
import { codeOf, useTestServer, wallet } from '../helpers.js';

const E1 = Date.UTC(2026, 10, 2, 1) / 1000;
const E2 = E1 + 3600;
const OPEN = E2 + 3600;
const HASH = legacyLoginKey('old_timer');
const LEGACY = `legacy:${toHex(HASH)}`;
let runs = 0;

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate users, channels, epochs, allocations, wallet_bindings, suppressions, legacy_identities,
    audit_log, viewer_totals, channel_viewer_totals, leaderboard_buckets, leaderboard_epochs`);
}

async function allocate(db: DatabaseHandle, epoch: number, channel: number, viewer: string, amount: bigint) {
  await db.query(sql`insert into allocations (epoch, channel_id, viewer, points, amount)
    values (${epoch}::bigint, ${channel}::bigint, ${viewer}, ${amount.toString()}::numeric, ${amount.toString()}::numeric)`);
}

describe.each(backends)('leaderboard on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  const { server, client } = useTestServer(db);
  const rest = (path: string) => fetch(`${server().url}${path}`);

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
    await allocate(db(), E1, 1, LEGACY, 50n);
    await allocate(db(), E2, 2, '11', 250n);
    await allocate(db(), E2, 2, '44', 300n);
    await allocate(db(), E2, 2, '33', 0n);
    // An epoch not sealed yet counts for nobody.
    await allocate(db(), OPEN, 1, '33', 1000n);
    // Sealed once written (sealed epochs refuse new rows), then added to the totals as the worker does.
    await db().query(sql`update epochs set status = 'sealed' where epoch in (${E1}::bigint, ${E2}::bigint)`);
    await addSealedEpochsToLeaderboard(db());
  });

  it('global: ranked by total over sealed epochs, ties share a rank, legacy viewers named legacy', async () => {
    const { entries } = await client().leaderboard.global.query({ limit: 10 });
    expect(entries).toEqual([
      { rank: 1, login: 'alice', total: '350' },
      { rank: 2, login: 'bob', total: '300' },
      { rank: 2, login: 'dave', total: '300' },
      { rank: 4, login: 'legacy', total: '50' },
    ]);
    expect((await client().leaderboard.global.query({ limit: 1 })).entries).toEqual([entries[0]]);
    const viaRest = await rest('/v1/leaderboard?limit=2');
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toEqual({ entries: entries.slice(0, 2) });
  });

  it('channel: the same within one channel, by its login', async () => {
    expect(await client().leaderboard.channel.query({ channel: 'chan_a', limit: 10 })).toEqual({
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
    expect((await client().leaderboard.channel.query({ channel: 'chan_new', limit: 5 })).entries).toEqual([]);
    expect((await rest('/v1/leaderboard/channel/nobody')).status).toBe(404);
  });

  it("rank: a viewer's global rank and total by login or user id", async () => {
    expect(await client().leaderboard.rank.query({ login: 'Alice' })).toEqual({
      userId: '11',
      login: 'alice',
      total: '350',
      rank: 1,
    });
    expect(await client().leaderboard.rank.query({ userId: '44' })).toMatchObject({ login: 'dave', rank: 2 });
    expect(await client().leaderboard.rank.query({ login: 'carol' })).toEqual({
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
    await expect(client().leaderboard.rank.query({})).rejects.toThrow('exactly one');
  });

  it('bounds: limit 1..100 and well-formed logins, 400 over REST and BAD_REQUEST over tRPC', async () => {
    expect(await codeOf(client().leaderboard.global.query({ limit: 0 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client().leaderboard.global.query({ limit: 101 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client().leaderboard.channel.query({ channel: 'bad login', limit: 5 }))).toBe('BAD_REQUEST');
    expect(await codeOf(client().leaderboard.rank.query({ login: 'alice', userId: '11' }))).toBe('BAD_REQUEST');
    expect((await rest('/v1/leaderboard?limit=0')).status).toBe(400);
    expect((await rest('/v1/leaderboard?limit=101')).status).toBe(400);
    expect((await rest('/v1/leaderboard/channel/chan_a?limit=1000')).status).toBe(400);
    expect((await rest('/v1/leaderboard/rank?userId=abc')).status).toBe(400);
  });

  it('never reveals a wallet', async () => {
    const bodies = [
      JSON.stringify(await client().leaderboard.global.query({ limit: 100 })),
      JSON.stringify(await client().leaderboard.channel.query({ channel: 'chan_a', limit: 100 })),
      JSON.stringify(await client().leaderboard.rank.query({ login: 'alice' })),
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
  it('opted-out viewers leave every leaderboard and rank from their opt-out on, and return when it is lifted', async () => {
    await db().query(sql`insert into suppressions (user_id, reason) values (11, 'opted out')`);
    expect((await client().leaderboard.global.query({ limit: 10 })).entries).toEqual([
      { rank: 1, login: 'bob', total: '300' },
      { rank: 1, login: 'dave', total: '300' },
      { rank: 3, login: 'legacy', total: '50' },
    ]);
    expect((await client().leaderboard.channel.query({ channel: 'chan_b', limit: 10 })).entries).toEqual([
      { rank: 1, login: 'dave', total: '300' },
    ]);
    expect(await client().leaderboard.rank.query({ userId: '44' })).toMatchObject({ rank: 1 });
    expect(await client().leaderboard.rank.query({ login: 'alice' })).toEqual({
      userId: '11',
      login: 'alice',
      total: '350',
      rank: null,
    });
    await db().query(sql`delete from suppressions where user_id = 11`);
    expect(await client().leaderboard.rank.query({ login: 'alice' })).toMatchObject({ rank: 1 });
    expect(await client().leaderboard.rank.query({ userId: '44' })).toMatchObject({ rank: 2 });
  });

  it('a legacy viewer joined to a user counts for that user, globally and per channel', async () => {
    await joinLegacyViewer(db(), { userId: 33n, loginHash: HASH, actor: 'test' });
    expect((await client().leaderboard.global.query({ limit: 10 })).entries.at(-1)).toEqual({
      rank: 4,
      login: 'carol',
      total: '50',
    });
    expect((await client().leaderboard.channel.query({ channel: 'chan_a', limit: 10 })).entries.at(-1)).toEqual({
      rank: 3,
      login: 'carol',
      total: '50',
    });
    expect(await client().leaderboard.rank.query({ login: 'carol' })).toEqual({
      userId: '33',
      login: 'carol',
      total: '50',
      rank: 4,
    });
  });

  it('rank is 1 + the number of viewers with more, within and across buckets, opted-out viewers left out', async () => {
    const totals = fc.uniqueArray(
      fc.oneof(
        fc.bigInt({ min: 1n, max: 300n }),
        fc.bigInt({ min: 1000n, max: 1100n }),
        fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
      ),
      { minLength: 1, maxLength: 40 },
    );
    await fc.assert(
      fc.asyncProperty(totals, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), async (amounts, optedOut) => {
        await reset(db());
        const epoch = OPEN + 3600 * (1 + (++runs % 1000));
        await db().query(sql`insert into epochs (epoch, length_seconds) values (${epoch}::bigint, 3600)`);
        for (const [i, amount] of amounts.entries()) await allocate(db(), epoch, 1, String(1000 + i), amount);
        await db().query(sql`update epochs set status = 'sealed' where epoch = ${epoch}::bigint`);
        await addSealedEpochsToLeaderboard(db());
        const out = amounts.map((_, i) => optedOut[i] === true);
        for (const [i, o] of out.entries()) {
          if (o) await db().query(sql`insert into suppressions (user_id) values (${1000 + i}::bigint)`);
        }
        const listed = amounts.filter((_, i) => !out[i]);
        for (const [i, amount] of amounts.entries()) {
          const { rank } = await standingOf(db(), String(1000 + i));
          expect(rank).toBe(out[i] ? null : 1 + listed.filter((a) => a > amount).length);
        }
        expect(await rankOfTotal(db(), 0n)).toBe(1 + listed.length);
      }),
      { numRuns: 15 },
    );
  });
});
