// Chat lines to sealed allocations through every real component, operated as in production: channels enabled by
// login (the collector learns their ids from chat), the bots list loaded into the collector, the fake IRC server,
// TwitchChatSource, the collector (spool, flusher, heartbeat), and the indexer's workers, whose scheduler enqueues
// aggregation and sealing as jobs; on PGlite with the database queue and on PostgreSQL with BullMQ on Redis. Both
// pipelines must pay exactly what weighted-v1 gives for the lines, with the same input hash.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTestPglite, createTestPostgres } from '@attention-oracle/db/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { disableChannel, enableChannels } from '../../src/channels/channels.js';
import { watchExclusions } from '../../src/channels/exclusions.js';
import { TwitchChatSource } from '../../src/chat/twitch-source.js';
import { startCollector } from '../../src/collector/collector.js';
import { createJobQueue, type JobLogger, type JobQueue } from '../../src/jobs/index.js';
import { startWorkers } from '../../src/worker.js';
import { defaultRoomId, FakeIrcServer } from '../fake-irc-server.js';
import {
  BOT,
  CHANNELS,
  DISABLED,
  EPOCH,
  EPOCH_BUDGET,
  EPOCH_SECONDS,
  EVENTS_IN_EPOCH,
  expectedAllocations,
  OPTED_OUT,
  RATE_PER_POINT,
  scenarioLines,
} from './chat-scenario.js';
import { waitUntil } from './chat-stream.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const GRACE_SECONDS = 120;
const NEXT_EPOCH = EPOCH + EPOCH_SECONDS;
const silent: JobLogger = { debug() {}, info() {}, warn() {}, error() {} };

interface Pipeline {
  db: DatabaseHandle;
  queue: JobQueue;
  close(): Promise<void>;
}

const pipelines: Record<string, () => Promise<Pipeline>> = {
  'pglite with the database job queue': async () => {
    const db = await createTestPglite();
    const queue = createJobQueue({ db, logger: silent, pollMs: 25, backoffMs: 200 });
    return {
      db,
      queue,
      async close() {
        await queue.close();
        await db.close();
      },
    };
  },
  'postgres with bullmq on redis': async () => {
    const postgres = await createTestPostgres();
    // A prefix of its own keeps this run's keys apart from other tests and runs on the shared Redis server.
    const prefix = `ao-test-${randomBytes(6).toString('hex')}`;
    const queue = createJobQueue({ db: postgres.handle, redisUrl: REDIS_URL, prefix, logger: silent, backoffMs: 200 });
    return {
      db: postgres.handle,
      queue,
      async close() {
        await queue.close();
        const redis = new Redis(REDIS_URL);
        try {
          const keys = await redis.keys(`${prefix}:*`);
          if (keys.length > 0) await redis.del(...keys);
        } finally {
          await redis.quit();
        }
        await postgres.drop();
      },
    };
  },
};

const allocationsOf = (db: DatabaseHandle, epoch: number) =>
  db
    .query<{ c: string; v: string; p: string; a: string }>(sql`
      select channel_id::text as c, viewer as v, points::text as p, amount::text as a
      from allocations where epoch = ${epoch}::bigint order by channel_id, viewer collate "C"`)
    .then((rows) => rows.map((r) => [r.c, r.v, r.p, r.a]));

const epochRow = async (db: DatabaseHandle, epoch: number) =>
  (
    await db.query<Record<string, unknown>>(sql`
      select status, event_count::float8 as events, participant_count as participants,
        allocation_count as allocations, total::text as total, scaled_by_budget as scaled,
        encode(input_hash, 'hex') as "inputHash", policy_id as policy, params_hash as "paramsHash"
      from epochs where epoch = ${epoch}::bigint`)
  )[0];

const totalOf = (allocations: string[][]) => String(allocations.reduce((sum, row) => sum + BigInt(row[3] ?? 0), 0n));

/** What each pipeline sealed, compared once both ran. */
const outcomes = new Map<string, unknown>();

describe('chat lines to sealed allocations', () => {
  let cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  it.each(Object.keys(pipelines))(
    '%s: pays what weighted-v1 gives for the lines',
    async (name) => {
      const open = pipelines[name] as () => Promise<Pipeline>;
      const { db, queue, close } = await open();
      cleanup.push(close);
      // The operator enables channels by login; their ids are learned from chat.
      await enableChannels(db, CHANNELS, 'test');
      await db.query(sql`insert into bots (user_id, login) values (${BOT.userId}::bigint, ${BOT.login})`);
      const exclusions = await watchExclusions(db);
      cleanup.push(async () => exclusions.stop());
      // A second collector, alive but flushed only halfway through the epoch: it holds the seal back until it catches up.
      await db.query(sql`insert into collector_heartbeats (collector_id, flushed_through, last_heartbeat, started_at)
        values ('lagging', ${EPOCH * 1000 + 1_800_000}::bigint, now(), now())`);

      const server = await FakeIrcServer.start();
      cleanup.push(() => server.close());
      const spoolDir = await mkdtemp(join(tmpdir(), 'ao-e2e-spool-'));
      cleanup.push(() => rm(spoolDir, { recursive: true, force: true }));
      const source = new TwitchChatSource({
        channels: CHANNELS,
        endpoint: { host: '127.0.0.1', port: server.port, secure: false },
        connectionIntervalMs: 50,
        reconnectIntervalMs: 100,
        isExcluded: exclusions.isExcluded,
      });
      const acked: string[] = [];
      const collector = await startCollector(source, {
        collectorId: 'e2e',
        spoolDir,
        db,
        epochSeconds: EPOCH_SECONDS,
        watermarkClock: 'receive',
        heartbeatMs: 200,
        channels: () => CHANNELS.length,
        onAccepted: (events) => acked.push(...events.map((e) => e.id)),
      });
      cleanup.push(() => collector.stop());
      await waitUntil(() => source.stats().joinedChannels === CHANNELS.length, 'every channel joined');

      for (const { channel, line } of scenarioLines()) expect(server.send(channel, line)).toBe(1);
      // The next epoch's event comes last: once every event is acknowledged, every line was handled.
      await waitUntil(
        () => acked.length >= EVENTS_IN_EPOCH + 1,
        () => `every event (${acked.length})`,
      );
      await collector.drain(60_000);
      expect(acked).toHaveLength(EVENTS_IN_EPOCH + 1);
      const stats = source.stats();
      expect(stats).toMatchObject({ malformedLines: 0, droppedEvents: 0 });
      expect(stats.skips).toMatchObject({ malformed: 0, 'gift-follow-up': 5, 'excluded-user': 10 });
      // Receive-clock watermark: with the spool drained, the collector vouches for everything up to now, long past
      // the epoch's end plus grace.
      const [beat] = await db.query<{ flushedThrough: number }>(sql`
        select flushed_through::float8 as "flushedThrough" from collector_heartbeats where collector_id = 'e2e'`);
      expect(beat?.flushedThrough).toBeGreaterThanOrEqual((EPOCH + EPOCH_SECONDS + GRACE_SECONDS) * 1000);
      const learned = async () =>
        (
          await db.query<{ login: string; id: string | null }>(sql`
          select login, channel_id::text as id from channels order by login`)
        ).map((c) => [c.login, c.id]);
      await waitUntil(
        async () => (await learned()).every(([, id]) => id !== null),
        'the channel ids learned from chat',
      );
      expect(await learned()).toEqual(CHANNELS.map((login) => [login, defaultRoomId(login)]).sort());
      // After collection: #charlie is disabled, and the viewer who chatted opts out.
      expect(await disableChannel(db, DISABLED[0], 'test')).toBe(true);
      await db.query(sql`insert into suppressions (user_id, reason) values (${OPTED_OUT.userId}::bigint, 'opted out')`);

      const notSealed: { message: string; details?: Record<string, unknown> }[] = [];
      startWorkers(db, queue, {
        epochSeconds: EPOCH_SECONDS,
        graceSeconds: GRACE_SECONDS,
        deadAfterSeconds: 300,
        policy: { id: 'weighted-v1', params: { epochBudget: EPOCH_BUDGET, ratePerPoint: RATE_PER_POINT } },
        // Nothing here is old enough for retention to delete: the scenario's events are from 2023.
        retentionDays: 36_500,
        scheduleMs: 200,
        log: (message, details) => notSealed.push({ message, details }),
      });
      await waitUntil(
        () => notSealed.some((entry) => entry.message.startsWith(`epoch ${EPOCH} not sealed yet`)),
        'a seal attempt refused while collector lagging is behind',
      );
      expect(notSealed.find((entry) => entry.message.startsWith(`epoch ${EPOCH} `))?.details).toEqual({
        waitingFor: ['lagging'],
      });
      expect(await epochRow(db, EPOCH)).toMatchObject({ status: 'open' });
      expect(await allocationsOf(db, EPOCH)).toEqual([]);
      await db.query(sql`update collector_heartbeats set flushed_through = ${Date.now()}::bigint, last_heartbeat = now()
        where collector_id = 'lagging'`);
      // The scheduler retries, and seals the epochs in order.
      await waitUntil(
        async () => (await epochRow(db, NEXT_EPOCH))?.status === 'sealed',
        'both epochs sealed by the workers',
      );

      const allocations = await allocationsOf(db, EPOCH);
      expect(allocations).toEqual(expectedAllocations());
      const sealed = await epochRow(db, EPOCH);
      expect(sealed).toMatchObject({
        status: 'sealed',
        events: EVENTS_IN_EPOCH,
        participants: 8,
        allocations: 9,
        total: totalOf(expectedAllocations()),
        scaled: false,
        inputHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        policy: 'weighted-v1',
      });
      // The next epoch holds its one event: ann's minute, nothing of the epoch before.
      const next = await allocationsOf(db, NEXT_EPOCH);
      expect(next).toEqual(expectedAllocations(NEXT_EPOCH));
      expect(await epochRow(db, NEXT_EPOCH)).toMatchObject({ status: 'sealed', events: 1, allocations: 1 });
      // Aggregation counts everyone whose events were stored (7 in #alpha less the bot, 4 in #bravo, 1 in #charlie);
      // the opt-out and the channel's status apply at sealing.
      const participation = await db.query(sql`
        select viewer, messages, active_minutes as minutes, subs from participation
        where epoch = ${EPOCH}::bigint and viewer in ('103', '106', '110', '900', '901') order by viewer`);
      expect(participation).toEqual([
        { viewer: '103', messages: 10, minutes: 10, subs: 0 },
        { viewer: '110', messages: 1, minutes: 1, subs: 0 },
        { viewer: '901', messages: 1, minutes: 1, subs: 1 },
      ]);
      const [rows] = await db.query(sql`select count(*)::int as n from participation where epoch = ${EPOCH}::bigint`);
      expect(rows).toEqual({ n: 11 });
      outcomes.set(name, { sealed, allocations, next: await epochRow(db, NEXT_EPOCH), nextAllocations: next });
    },
    120_000,
  );

  it('seals the same allocations under the same input hash on both pipelines', () => {
    const [first, second, ...rest] = Object.keys(pipelines).map((name) => outcomes.get(name));
    expect(rest).toEqual([]);
    expect(first).toBeDefined();
    expect(second).toEqual(first);
  });
});
