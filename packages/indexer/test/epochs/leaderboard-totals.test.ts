// Leaderboard totals kept by seals, legacy joins and opt-outs: after any sequence of them they equal the sums and
// bucket counts computed from the sealed allocations, and so does the migration's backfill.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, legacyLoginKey, toHex } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addSealedEpochsToLeaderboard,
  type BackfillOptions,
  ImportError,
  importBackfill,
  sealEpoch,
} from '../../src/epochs/index.js';
import { joinLegacyViewer } from '../../src/ledger/index.js';
import { addChannels, backends, E, HOUR, heartbeat, insertEvents, useDatabase } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ao-leaderboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const USERS = [100, 101, 102];
const HASHES = ['old_a', 'old_b', 'old_c'].map((login) => toHex(legacyLoginKey(login)));
const HEADER = 'epoch,channel_id,user_id,login_hash,messages,active_minutes,subs,resubs,gifted_subs,bits,raid_viewers';
const options: BackfillOptions = {
  epochSeconds: HOUR,
  policy: { id: 'weighted-v1', params: { epochBudget: 10n ** 12n, ratePerPoint: 1n } },
};

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate chat_events, epochs, participation, allocations, audit_log, collector_heartbeats,
    channels, suppressions, bots, legacy_identities, wallet_bindings, viewer_totals, channel_viewer_totals,
    leaderboard_buckets, leaderboard_epochs`);
  await addChannels(db, [1, 2]);
}

/** A backfill file of one epoch: [viewer index (users, then legacy hashes), channel, messages] rows. */
function backfillFile(epoch: number, rows: readonly [number, number, number][]): string {
  const path = join(dir, `${++files}.csv`);
  const lines = rows.map(([v, channel, messages]) => {
    const who = v < USERS.length ? `${USERS[v]},` : `,${HASHES[v - USERS.length]}`;
    return `${epoch},${channel},${who},${messages},1,0,0,0,0,0`;
  });
  writeFileSync(path, `${[HEADER, ...lines].join('\n')}\n`);
  return path;
}

type Rows = Record<string, string>;
const asRecord = (rows: { k: string; t: string }[]): Rows => Object.fromEntries(rows.map((r) => [r.k, r.t]));

/** The maintained tables, as plain records. */
async function maintained(db: DatabaseHandle) {
  const viewers = await db.query<{ k: string; t: string }>(sql`
    select viewer as k, total::text as t from viewer_totals where total > 0`);
  const channels = await db.query<{ k: string; t: string }>(sql`
    select channel_id || '/' || viewer as k, total::text as t from channel_viewer_totals where total > 0`);
  const buckets = await db.query<{ k: string; t: string }>(sql`
    select bucket::text as k, viewers::text as t from leaderboard_buckets where viewers <> 0`);
  return { viewers: asRecord(viewers), channels: asRecord(channels), buckets: asRecord(buckets) };
}

/** The same computed from scratch: sealed allocations summed, joined legacy viewers counted for their user. */
async function onTheFly(db: DatabaseHandle) {
  const mapped = sql`select a.channel_id, coalesce(li.user_id::text, a.viewer) as viewer, a.amount from allocations a
    join epochs e on e.epoch = a.epoch and e.status = 'sealed'
    left join legacy_identities li on li.user_id is not null
      and li.login_hash = case when a.viewer like 'legacy:%' then decode(substr(a.viewer, 8), 'hex') end`;
  const viewers = await db.query<{ k: string; t: string }>(sql`
    select viewer as k, sum(amount)::text as t from (${mapped}) m group by viewer having sum(amount) > 0`);
  const channels = await db.query<{ k: string; t: string }>(sql`
    select channel_id || '/' || viewer as k, sum(amount)::text as t from (${mapped}) m group by channel_id, viewer
    having sum(amount) > 0`);
  const buckets = await db.query<{ k: string; t: string }>(sql`
    select leaderboard_bucket(t)::text as k, count(*)::text as t
    from (select viewer, sum(amount) as t from (${mapped}) m group by viewer) x
    where t > 0 and not exists (select 1 from suppressions s where s.user_id::text = x.viewer) group by 1`);
  return { viewers: asRecord(viewers), channels: asRecord(channels), buckets: asRecord(buckets) };
}

/** The backfill statements of the 0003 migration (everything after its functions), run on the current data. */
async function rerunMigrationBackfill(db: DatabaseHandle) {
  const file = new URL('../../../db/migrations/0003_leaderboard_totals.sql', import.meta.url);
  const statements = readFileSync(file, 'utf8')
    .split('--> statement-breakpoint')
    .filter((s) => /^\s*(--[^\n]*\n\s*)*(insert into|select leaderboard_recount_buckets)/i.test(s));
  expect(statements).toHaveLength(3);
  await db.query(sql`truncate viewer_totals, channel_viewer_totals, leaderboard_buckets`);
  for (const statement of statements) await db.query(sql.raw(statement));
}

type Step =
  | { op: 'import'; rows: [number, number, number][] }
  | { op: 'join'; legacy: number; user: number }
  | { op: 'repeat' }
  | { op: 'catch-up' }
  | { op: 'opt-out' | 'opt-in'; user: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('import' as const),
      rows: fc.uniqueArray(
        fc.tuple(
          fc.integer({ min: 0, max: USERS.length + HASHES.length - 1 }),
          fc.integer({ min: 1, max: 2 }),
          fc.integer({ min: 0, max: 400 }),
        ),
        { maxLength: 8, selector: ([v, c]) => `${v}/${c}` },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('join' as const),
      legacy: fc.integer({ min: 0, max: HASHES.length - 1 }),
      user: fc.integer({ min: 0, max: USERS.length - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const) }) },
  // The leaderboard-totals job, which runs after seals: joins and opt-outs may come before it.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('catch-up' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constantFrom('opt-out' as const, 'opt-in' as const),
      user: fc.integer({ min: 0, max: USERS.length - 1 }),
    }),
  },
);

describe.each(backends)('leaderboard totals on %s', (_, open) => {
  const db = useDatabase(open, reset);

  it('equal the on-the-fly sums after any sequence of seals, catch-ups, legacy joins, opt-outs and refused re-imports', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        await reset(db());
        const joined = new Map<number, number>();
        let last: string | undefined;
        for (const [i, s] of steps.entries()) {
          if (s.op === 'import') {
            const file = backfillFile(E - (i + 1) * HOUR, s.rows);
            await importBackfill(db(), file, options);
            if (s.rows.length > 0) last = file; // a file without rows creates no epoch, so importing it again is fine
          } else if (s.op === 'opt-out') {
            await db().query(
              sql`insert into suppressions (user_id) values (${USERS[s.user]}::bigint) on conflict do nothing`,
            );
          } else if (s.op === 'opt-in') {
            await db().query(sql`delete from suppressions where user_id = ${USERS[s.user]}::bigint`);
          } else if (s.op === 'catch-up') {
            await addSealedEpochsToLeaderboard(db());
            expect(await maintained(db())).toEqual(await onTheFly(db()));
          } else if (s.op === 'repeat') {
            if (last === undefined) continue;
            await expect(importBackfill(db(), last, options)).rejects.toThrow(ImportError);
          } else if (s.op === 'join') {
            const input = { userId: BigInt(USERS[s.user] ?? 0), loginHash: legacyLoginKey(`old_${'abc'[s.legacy]}`) };
            const to = joined.get(s.legacy);
            if (to !== undefined && to !== s.user) {
              await expect(joinLegacyViewer(db(), { ...input, actor: 'test' })).rejects.toThrow(InvalidArgumentError);
              continue;
            }
            await joinLegacyViewer(db(), { ...input, actor: 'test' });
            joined.set(s.legacy, s.user);
          }
        }
        await addSealedEpochsToLeaderboard(db());
        expect(await addSealedEpochsToLeaderboard(db())).toBe(0);
        expect(await maintained(db())).toEqual(await onTheFly(db()));
        const before = await maintained(db());
        await rerunMigrationBackfill(db());
        expect(await maintained(db())).toEqual(before);
      }),
      { numRuns: 25 },
    );
  });

  it('a sealed chat epoch is added once: sealing or catching up again changes nothing', async () => {
    await insertEvents(db(), [
      { id: 1, kind: 'message', user: 100, at: 0 },
      { id: 2, kind: 'sub', user: 101, at: 60_000, channel: 2 },
    ]);
    const sealAt = (E + HOUR + 60) * 1000;
    await heartbeat(db(), 'a', sealAt, sealAt);
    const seal = () =>
      sealEpoch(db(), E, {
        epochSeconds: HOUR,
        graceSeconds: 60,
        deadAfterSeconds: 300,
        policy: options.policy,
        now: sealAt,
      });
    expect(await seal()).toMatchObject({ sealed: true, alreadySealed: false });
    expect(await addSealedEpochsToLeaderboard(db())).toBe(1);
    const after = await maintained(db());
    expect(Object.keys(after.viewers).sort()).toEqual(['100', '101']);
    expect(after.channels).toEqual({ '1/100': after.viewers['100'], '2/101': after.viewers['101'] });
    expect(await seal()).toMatchObject({ sealed: true, alreadySealed: true });
    expect(await addSealedEpochsToLeaderboard(db())).toBe(0);
    expect(await maintained(db())).toEqual(after);
    expect(after).toEqual(await onTheFly(db()));
  });
});
