// Redundant collectors: two collectors joined to the same channels both receive and acknowledge every line, into one
// PostgreSQL database, and each event is stored once. One of them is asked to RECONNECT mid-stream and replaces its
// connection make-before-break: it loses nothing and acknowledges nothing twice, even for lines it got on both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TwitchChatSource } from '../../src/chat/twitch-source.js';
import { type Collector, startCollector } from '../../src/collector/collector.js';
import { type FakeIrcConnection, FakeIrcServer } from '../fake-irc-server.js';
import { ChatStream, waitUntil } from './chat-stream.js';

const CHANNELS = ['alpha', 'bravo', 'charlie'];

interface RunningCollector {
  id: string;
  source: TwitchChatSource;
  collector: Collector;
  acked: string[];
  /** The server-side connections this collector opened. */
  connections: Set<number>;
}

const heartbeats = (db: DatabaseHandle) =>
  db.query<{ id: string; flushedThrough: number; status: string }>(sql`
    select collector_id as id, flushed_through::float8 as "flushedThrough", status
    from collector_heartbeats order by collector_id`);

describe('two collectors on the same channels and database', () => {
  let cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  it('store each event once, both acknowledge everything, and a RECONNECT loses and repeats nothing', async () => {
    // While set, a replacement connection's JOIN of #bravo goes unanswered: the old and the new connection then
    // overlap on #alpha for as long as the test wants, so lines reach that collector twice, deterministically.
    let holdReplacementJoin = false;
    const initial = new Set<number>();
    const server = await FakeIrcServer.start({
      ignoreJoin: (login, connection) => holdReplacementJoin && login === 'bravo' && !initial.has(connection.id),
    });
    cleanup.push(() => server.close());
    const postgres = await createTestPostgres();
    cleanup.push(() => postgres.drop());
    const db = postgres.handle;

    const start = async (id: string): Promise<RunningCollector> => {
      const before = new Set(server.allConnections.map((c) => c.id));
      const spoolDir = await mkdtemp(join(tmpdir(), `ao-dup-${id}-`));
      cleanup.push(() => rm(spoolDir, { recursive: true, force: true }));
      const source = new TwitchChatSource({
        channels: CHANNELS,
        endpoint: { host: '127.0.0.1', port: server.port, secure: false },
        maxChannelsPerConnection: 2,
        connectionIntervalMs: 50,
        reconnectIntervalMs: 100,
        rejoinIntervalMs: 1000,
      });
      const acked: string[] = [];
      const collector = await startCollector(source, {
        collectorId: id,
        spoolDir,
        db,
        epochSeconds: 3600,
        watermarkClock: 'receive',
        heartbeatMs: 200,
        channels: () => CHANNELS.length,
        onAccepted: (events) => acked.push(...events.map((e) => e.id)),
      });
      cleanup.push(() => collector.stop());
      await waitUntil(() => source.stats().joinedChannels === CHANNELS.length, `${id} joined every channel`);
      const connections = new Set(server.allConnections.map((c) => c.id).filter((c) => !before.has(c)));
      for (const c of connections) initial.add(c);
      return { id, source, collector, acked, connections };
    };
    const a = await start('collector-a');
    const b = await start('collector-b');
    const [startBeats, stream] = [await heartbeats(db), new ChatStream(server, CHANNELS)];
    cleanup.push(() => stream.stop());
    const ofA = (channel: string) => server.joinedTo(channel).filter((c) => !b.connections.has(c.id));

    stream.start();
    await stream.sendMore(1000);
    const old = ofA('alpha')[0] as FakeIrcConnection;
    expect(ofA('alpha')).toHaveLength(1);
    holdReplacementJoin = true;
    server.reconnect(old);
    await waitUntil(() => ofA('alpha').length === 2, "collector-a's replacement connection on #alpha");
    await stream.sendMore(300); // #alpha lines now reach collector-a on both connections
    holdReplacementJoin = false;
    // The replacement joins #bravo on its next rejoin round; only then does collector-a close the old connection.
    await waitUntil(() => !old.open, "collector-a's old connection closed");
    expect(ofA('alpha')).toHaveLength(1);
    expect(ofA('bravo')).toHaveLength(1);
    await stream.sendMore(1000);
    await stream.stop();

    const sent = new Set(stream.sent);
    for (const c of [a, b]) {
      await waitUntil(
        () => c.acked.length >= sent.size,
        () => `${c.id} acknowledging every line (${c.acked.length}/${sent.size})`,
      );
    }
    for (const c of [a, b]) {
      expect(new Set(c.acked).size, `${c.id} acknowledged an event twice`).toBe(c.acked.length);
      expect(new Set(c.acked)).toEqual(sent);
      expect(c.source.stats()).toMatchObject({ droppedEvents: 0, sinkErrors: 0, reconnects: 0 });
    }
    expect(a.source.stats().restarts).toBe(1);
    expect(a.source.stats().skips.duplicate).toBeGreaterThan(0); // the overlap really delivered lines twice
    expect(b.source.stats().restarts).toBe(0);

    await Promise.all([a.collector.drain(60_000), b.collector.drain(60_000)]);
    const [stored] = await db.query<{ rows: number; distinct: number }>(
      sql`select count(*)::int as rows, count(distinct event_id)::int as distinct from chat_events`,
    );
    expect(stored).toEqual({ rows: sent.size, distinct: sent.size });
    const ids = await db.query<{ id: string }>(sql`select event_id::text as id from chat_events`);
    expect(new Set(ids.map((row) => row.id))).toEqual(sent);
    // Both heartbeats moved past the whole stream: either collector alone would let the epoch seal.
    const endBeats = await heartbeats(db);
    expect(endBeats.map((beat) => [beat.id, beat.status])).toEqual([
      ['collector-a', 'live'],
      ['collector-b', 'live'],
    ]);
    for (const [i, beat] of endBeats.entries()) {
      expect(beat.flushedThrough).toBeGreaterThan(startBeats[i]?.flushedThrough ?? Number.POSITIVE_INFINITY);
      expect(beat.flushedThrough).toBeGreaterThanOrEqual(stream.lastSentAt);
    }
  }, 120_000);
});
