// kill -9 of a live collector mid-stream, then a restart on the same spool: every event it acknowledged is stored
// exactly once, and nothing else. The collector runs in a child process fed by the fake IRC server, as in production.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, openDatabase, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeIrcServer } from '../fake-irc-server.js';
import type { CollectorChildOptions } from '../fixtures/collector-child.js';
import { ChatStream, waitUntil } from './chat-stream.js';
import { CollectorProcess } from './collector-process.js';

const CHANNELS = ['alpha', 'bravo', 'charlie', 'delta'];
const COLLECTOR_ID = 'crash-test';

const storedIds = async (db: DatabaseHandle) =>
  (await db.query<{ id: string }>(sql`select event_id::text as id from chat_events`)).map((row) => row.id);

describe('a collector killed with SIGKILL mid-stream', () => {
  let cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await CollectorProcess.killAll();
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  it.each(['postgres', 'pglite data folder'] as const)(
    '%s: after a restart on the same spool, every acknowledged event is stored exactly once',
    async (backend) => {
      const server = await FakeIrcServer.start();
      cleanup.push(() => server.close());
      const spoolDir = await mkdtemp(join(tmpdir(), 'ao-crash-spool-'));
      cleanup.push(() => rm(spoolDir, { recursive: true, force: true }));
      const postgres = backend === 'postgres' ? await createTestPostgres() : undefined;
      if (postgres) cleanup.push(() => postgres.drop());
      const dataDir = postgres ? undefined : await mkdtemp(join(tmpdir(), 'ao-crash-pglite-'));
      if (dataDir) cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      // One process at a time in a PGlite folder: the parent opens it only between and after the children.
      const inDatabase = async <T>(work: (db: DatabaseHandle) => Promise<T>): Promise<T> => {
        if (postgres) return work(postgres.handle);
        const db = await openDatabase({ dataDir });
        try {
          return await work(db);
        } finally {
          await db.close();
        }
      };
      const options: CollectorChildOptions = {
        port: server.port,
        channels: CHANNELS,
        collectorId: COLLECTOR_ID,
        spoolDir,
        databaseUrl: postgres?.url,
        dataDir,
        epochSeconds: 3600,
        heartbeatMs: 200,
      };
      const stream = new ChatStream(server, CHANNELS);
      cleanup.push(() => stream.stop());

      // First run: chat flows; part-way through, one flush statement commits but the collector never learns it did
      // (so its spool checkpoint stays before those events), and the acknowledged events pile up in the spool alone.
      const first = CollectorProcess.start(options);
      await first.ready();
      stream.start();
      await waitUntil(
        () => first.acked.length >= 1000,
        () => `1000 ACKs (have ${first.acked.length})`,
      );
      first.command('hold');
      const held = Number((await first.line('HELD')).split(' ')[1]);
      expect(held).toBeGreaterThan(0);
      const killAt = Math.max(2000, first.acked.length + 500);
      await waitUntil(
        () => first.acked.length >= killAt,
        () => `${killAt} ACKs (have ${first.acked.length})`,
      );
      await first.kill();
      // Chat goes on while nobody listens: these lines were never acknowledged, so losing them is correct.
      await stream.sendMore(500);
      await stream.stop();

      const storedAfterCrash = new Set(await inDatabase(storedIds));
      const onlyInSpool = first.acked.filter((id) => !storedAfterCrash.has(id));
      expect(onlyInSpool.length).toBeGreaterThan(0);

      // Second run, same spool and collector id: it replays what the first left, and takes new chat as well.
      const second = CollectorProcess.start(options);
      await second.ready();
      const resumeAt = stream.sent.length;
      stream.start();
      await stream.sendMore(1500);
      await stream.stop();
      const sentToSecond = stream.sent.slice(resumeAt);
      await waitUntil(
        () => sentToSecond.every((id) => second.ackedIds.has(id)),
        () => `every line sent to the restarted collector acknowledged (${second.acked.length}/${sentToSecond.length})`,
      );
      second.command('drain');
      await second.line('DRAINED');
      const stats = await second.stop();
      expect(stats).toMatchObject({ backlog: 0, damaged: 0, errors: 0, late: 0 });
      // It flushed its own events plus the replay: at least the held batch and what only the spool had.
      expect(stats.flushed - second.acked.length).toBeGreaterThanOrEqual(held + onlyInSpool.length);
      // The held batch was replayed and found already stored: replay is idempotent, not additive.
      expect(stats.flushed - stats.inserted).toBe(held);

      const { stored, repeated, heartbeat } = await inDatabase(async (db) => ({
        stored: await storedIds(db),
        repeated: await db.query(sql`select event_id from chat_events group by event_id having count(*) > 1`),
        heartbeat: await db.query(sql`select status, spool_backlog from collector_heartbeats`),
      }));
      expect(repeated).toEqual([]);
      expect(new Set(stored).size).toBe(stored.length);
      const acknowledged = [...first.acked, ...second.acked];
      expect(new Set(acknowledged).size).toBe(acknowledged.length);
      const storedSet = new Set(stored);
      expect(acknowledged.filter((id) => !storedSet.has(id))).toEqual([]);
      const sentSet = new Set(stream.sent);
      expect(stored.filter((id) => !sentSet.has(id))).toEqual([]);
      expect(heartbeat).toEqual([{ status: 'stopped', spool_backlog: 0 }]);
    },
    120_000,
  );
});
