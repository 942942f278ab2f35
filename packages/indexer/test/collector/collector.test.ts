import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorHeartbeats, type DatabaseHandle, epochs, sql } from '@attention-oracle/db';
import { TEST_BACKENDS } from '@attention-oracle/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../../src/collector/collector.js';
import { writeHeartbeat } from '../../src/collector/heartbeat.js';
import { Spool } from '../../src/collector/spool.js';
import { messageEvent } from './events.js';
import { PushSource } from './push-source.js';

const EPOCH = 3600;
const t0 = 1_700_000_000_000 - (1_700_000_000_000 % (EPOCH * 1000)); // an epoch start, in ms

const backends = TEST_BACKENDS;

const count = async (db: DatabaseHandle, table: 'chat_events' | 'late_events') =>
  Number((await db.query<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`))[0]?.n);

describe.each(backends)('collector on %s', (_, open) => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });
  const setup = async () => {
    const { handle, drop } = await open();
    cleanup.push(drop);
    return handle;
  };
  const collector = async (
    db: DatabaseHandle,
    source: PushSource,
    id = 'c1',
    wrap?: (d: DatabaseHandle) => DatabaseHandle,
    spoolDir?: string,
  ) => {
    const c = await startCollector(source, {
      collectorId: id,
      spoolDir: spoolDir ?? (await mkdtemp(join(tmpdir(), 'ao-collector-'))),
      db: wrap ? wrap(db) : db,
      epochSeconds: EPOCH,
      watermarkClock: 'receive',
      heartbeatMs: 50,
    });
    cleanup.push(() => c.stop());
    return c;
  };

  it('stores every accepted event once, even when two collectors receive the same events', async () => {
    const db = await setup();
    const [a, b] = [new PushSource(), new PushSource()];
    const [ca, cb] = [await collector(db, a, 'a'), await collector(db, b, 'b')];
    const events = Array.from({ length: 500 }, (_, i) => messageEvent(t0 + i * 1000, String(1000 + (i % 37))));
    await Promise.all([a.push(events.slice(0, 300)), b.push(events.slice(200)), a.push(events.slice(300))]);
    await Promise.all([ca.drain(), cb.drain()]);
    expect(await count(db, 'chat_events')).toBe(500);
    const [epoch] = await db.db.select().from(epochs);
    expect(epoch).toMatchObject({ epoch: t0 / 1000, status: 'open', dirty: true });
    const beats = await db.db.select().from(collectorHeartbeats);
    expect(beats.map((b) => b.collectorId).sort()).toEqual(['a', 'b']);
    expect(beats.every((b) => b.flushedThrough > t0 && b.status === 'live')).toBe(true);
    // Each counts what it received and flushed itself, duplicates of the other's included.
    const counts = Object.fromEntries(
      beats.map((b) => [b.collectorId, [b.eventsReceived, b.eventsFlushed, b.eventsLate]]),
    );
    expect(counts).toEqual({ a: [500, 500, 0], b: [300, 300, 0] });
    expect([ca.stats().received, cb.stats().received]).toEqual([500, 300]);
  });

  it('records events for a sealed epoch as late instead of changing it', async () => {
    const db = await setup();
    await db.db.insert(epochs).values({ epoch: t0 / 1000, lengthSeconds: EPOCH, status: 'sealed' });
    const source = new PushSource();
    const c = await collector(db, source);
    await source.push([messageEvent(t0 + 5), messageEvent(t0 + EPOCH * 1000 + 5)]);
    await c.drain();
    expect(await count(db, 'late_events')).toBe(1);
    expect(await count(db, 'chat_events')).toBe(1);
    expect(c.stats()).toMatchObject({ late: 1, inserted: 1 });
    const [beat] = await db.db.select().from(collectorHeartbeats);
    expect(beat).toMatchObject({ eventsReceived: 2, eventsFlushed: 2, eventsLate: 1 });
  });

  it('keeps spooling while the database is down and drains when it returns', async () => {
    const db = await setup();
    let down = true;
    const flaky = (inner: DatabaseHandle): DatabaseHandle => ({
      ...inner,
      query: (s) => (down ? Promise.reject(new Error('connection refused')) : inner.query(s)),
      transaction: (work) => (down ? Promise.reject(new Error('connection refused')) : inner.transaction(work)),
      db: new Proxy(inner.db, {
        get: (target, key) =>
          down && key === 'insert'
            ? () => {
                throw new Error('connection refused');
              }
            : Reflect.get(target, key),
      }),
    });
    const source = new PushSource();
    const c = await collector(db, source, 'c1', flaky);
    for (let i = 0; i < 20; i++) await source.push(Array.from({ length: 50 }, (_, j) => messageEvent(t0 + i * 50 + j)));
    await new Promise((r) => setTimeout(r, 300));
    expect(c.stats().backlog).toBe(1000);
    expect(c.stats().errors).toBeGreaterThan(0);
    expect(await count(db, 'chat_events')).toBe(0);
    down = false;
    await c.drain();
    expect(await count(db, 'chat_events')).toBe(1000);
  });

  it('marks a stopped collector so it no longer holds epochs back', async () => {
    const db = await setup();
    const source = new PushSource();
    const c = await collector(db, source);
    await source.push([messageEvent(t0)]);
    await c.stop();
    const [beat] = await db.db.select().from(collectorHeartbeats);
    expect(beat).toMatchObject({ status: 'stopped', spoolBacklog: 0, eventsReceived: 1, eventsFlushed: 1 });
    expect(await count(db, 'chat_events')).toBe(1);
  });

  it('counts from its start: a restart counts afresh, a spool replayed at start is flushed but not received', async () => {
    const db = await setup();
    const spoolDir = await mkdtemp(join(tmpdir(), 'ao-collector-'));
    const first = await collector(db, new PushSource(), 'c1', undefined, spoolDir);
    await first.drain();
    await first.stop();
    const [before] = await db.db.select().from(collectorHeartbeats);
    // A crashed run left 3 events in the spool: the next start flushes them, and receives 2 more itself.
    const spool = await Spool.open(spoolDir);
    await spool.append([1, 2, 3].map((i) => ({ event: messageEvent(t0 + i), watermark: t0 + i })));
    await spool.close();
    const source = new PushSource();
    const second = await collector(db, source, 'c1', undefined, spoolDir);
    await source.push([messageEvent(t0 + 10), messageEvent(t0 + 11)]);
    await second.drain();
    const [beat] = await db.db.select().from(collectorHeartbeats);
    expect(beat).toMatchObject({ status: 'live', eventsReceived: 2, eventsFlushed: 5, eventsLate: 0 });
    expect(beat?.startedAt.getTime()).toBeGreaterThan(before?.startedAt.getTime() ?? Infinity);
    expect(await count(db, 'chat_events')).toBe(5);
  });

  it('never moves the counts back within a run (a beat that lands late), and resets them when started_at moves', async () => {
    const db = await setup();
    const startedAt = new Date(t0);
    const beat = (counts: [number, number, number], started = startedAt) =>
      writeHeartbeat(db, {
        collectorId: 'c1',
        flushedThrough: t0,
        startedAt: started,
        channels: 1,
        spoolBacklog: 0,
        status: 'live',
        eventsReceived: counts[0],
        eventsFlushed: counts[1],
        eventsLate: counts[2],
      });
    const counts = async () => {
      const [row] = await db.db.select().from(collectorHeartbeats);
      return [row?.eventsReceived, row?.eventsFlushed, row?.eventsLate];
    };
    await beat([10, 8, 1]);
    expect(await counts()).toEqual([10, 8, 1]);
    await beat([7, 9, 0]);
    expect(await counts()).toEqual([10, 9, 1]);
    await beat([3, 2, 0], new Date(t0 + 1000));
    expect(await counts()).toEqual([3, 2, 0]);
  });
});
