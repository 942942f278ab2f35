// Stopping a collector (a deploy's SIGTERM). While chat flows, the source hands over what it had already read and
// normalized as it closes: the collector must spool and store it, not refuse it (Twitch never sends it again). And a
// stop that cannot flush its whole spool in time is not a clean stop: the collector must go on holding back the
// epochs its spooled events belong to, or they would seal without them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { TEST_BACKENDS } from '@attention-oracle/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchChatSource } from '../../src/chat/twitch-source.js';
import { startCollector } from '../../src/collector/collector.js';
import { type SealOptions, sealEpoch } from '../../src/epochs/index.js';
import { messageEvent } from '../collector/events.js';
import { PushSource } from '../collector/push-source.js';
import { FakeIrcServer } from '../fake-irc-server.js';
import { ChatStream, waitUntil } from './chat-stream.js';

const CHANNELS = ['alpha', 'bravo'];
const HOUR = 3600;

const backends = TEST_BACKENDS;

describe.each(backends)('a collector stopping on %s', (_, open) => {
  let cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  it('mid-stream stores every event its source received, and drops none', async () => {
    const { handle: db, drop } = await open();
    cleanup.push(drop);
    const server = await FakeIrcServer.start();
    cleanup.push(() => server.close());
    const spoolDir = await mkdtemp(join(tmpdir(), 'ao-stop-spool-'));
    cleanup.push(() => rm(spoolDir, { recursive: true, force: true }));
    const source = new TwitchChatSource({
      channels: CHANNELS,
      endpoint: { host: '127.0.0.1', port: server.port, secure: false },
      connectionIntervalMs: 50,
    });
    const acked: string[] = [];
    const collector = await startCollector(source, {
      collectorId: 'stopping',
      spoolDir,
      db,
      epochSeconds: 3600,
      watermarkClock: 'receive',
      heartbeatMs: 200,
      onAccepted: (events) => acked.push(...events.map((e) => e.id)),
    });
    cleanup.push(() => collector.stop());
    await waitUntil(() => source.stats().joinedChannels === CHANNELS.length, 'every channel joined');

    // Dense chat, so that events are read and waiting for the spool at the moment the stop begins.
    const stream = new ChatStream(server, CHANNELS);
    cleanup.push(() => stream.stop());
    stream.start(50, 1);
    await waitUntil(
      () => acked.length >= 2000,
      () => `2000 ACKs (have ${acked.length})`,
    );
    await collector.stop();
    await stream.stop();

    const stats = source.stats();
    expect(stats).toMatchObject({ droppedEvents: 0, sinkErrors: 0, pendingEvents: 0, events: acked.length });
    const stored = await db.query<{ id: string }>(sql`select event_id::text as id from chat_events`);
    expect(stored).toHaveLength(acked.length);
    expect(new Set(stored.map((row) => row.id))).toEqual(new Set(acked));
    expect(await db.query(sql`select status, spool_backlog from collector_heartbeats`)).toEqual([
      { status: 'stopped', spool_backlog: 0 },
    ]);
  }, 60_000);

  it('that cannot flush its spool in time keeps holding back the epoch of the events left in it', async () => {
    const { handle: db, drop } = await open();
    cleanup.push(drop);
    const spoolDir = await mkdtemp(join(tmpdir(), 'ao-stop-spool-'));
    cleanup.push(() => rm(spoolDir, { recursive: true, force: true }));
    // Flushing slower than the stop's drain budget (10 s): a second per statement, ten events per batch.
    const slow: DatabaseHandle = {
      ...db,
      query: async (statement) => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return db.query(statement);
      },
    };
    const start = (handle: DatabaseHandle, source: PushSource) =>
      startCollector(source, {
        collectorId: 'slow-stop',
        spoolDir,
        db: handle,
        epochSeconds: HOUR,
        watermarkClock: 'receive',
        heartbeatMs: 200,
        batchSize: 10,
      });
    const sentAt = Date.now();
    const epoch = Math.floor(sentAt / 1000 / HOUR) * HOUR;
    const events = Array.from({ length: 200 }, (_, i) => messageEvent(sentAt, String(1000 + (i % 7))));
    const first = new PushSource();
    const collector = await start(slow, first);
    cleanup.push(() => collector.stop());
    await first.push(events);
    await collector.stop();
    const [left] = await db.query<{ status: string; backlog: number }>(
      sql`select status, spool_backlog as backlog from collector_heartbeats`,
    );
    expect(left?.backlog).toBeGreaterThan(0);
    expect(left?.status).toBe('live');

    // Once the epoch has ended (plus grace), it must still wait for this collector's spooled events.
    const options: SealOptions = {
      epochSeconds: HOUR,
      graceSeconds: 60,
      deadAfterSeconds: 2 * HOUR,
      policy: { id: 'weighted-v1', params: { epochBudget: 10n ** 15n, ratePerPoint: 1n } },
      now: (epoch + HOUR + 60) * 1000 + 1000,
    };
    expect(await sealEpoch(db, epoch, options)).toMatchObject({ sealed: false, waitingFor: ['slow-stop'] });

    // Restarted with a healthy database, it flushes the rest, stops cleanly, and the epoch seals with every event.
    const restarted = await start(db, new PushSource());
    cleanup.push(() => restarted.stop());
    await restarted.drain(60_000);
    await restarted.stop();
    expect(await db.query(sql`select status, spool_backlog from collector_heartbeats`)).toEqual([
      { status: 'stopped', spool_backlog: 0 },
    ]);
    expect(await sealEpoch(db, epoch, options)).toMatchObject({ sealed: true, eventCount: events.length });
    expect(await db.query(sql`select count(*)::int as late from late_events`)).toEqual([{ late: 0 }]);
  }, 90_000);
});
