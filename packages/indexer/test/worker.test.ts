import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@attention-oracle/core';
import { allocations, channels, type DatabaseHandle, epochs, sql } from '@attention-oracle/db';
import { createTestPglite } from '@attention-oracle/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { disableChannel, enableChannels, enabledChannelLogins, proposeChannels } from '../src/channels/channels.js';
import { watchExclusions } from '../src/channels/exclusions.js';
import { startCollector } from '../src/collector/collector.js';
import { createJobQueue } from '../src/jobs/index.js';
import { startWorkers } from '../src/worker.js';
import { messageEvent } from './collector/events.js';
import { PushSource } from './collector/push-source.js';
import { waitForValue } from './wait-for.js';

const HOUR = 3600;
const past = Math.floor(Date.now() / 1000 / HOUR - 3) * HOUR; // an epoch three hours ago

describe('channels', () => {
  let db: DatabaseHandle;
  afterEach(() => db.close());

  it('enables by login, proposes without enabling, disables, and rejects invalid logins', async () => {
    db = await createTestPglite();
    expect(await enableChannels(db, ['Alpha', 'beta', 'alpha'], 'test')).toEqual(['alpha', 'beta']);
    expect(await enableChannels(db, ['alpha'], 'test')).toEqual([]);
    await expect(enableChannels(db, ['#gamma'], 'test')).rejects.toThrow(InvalidArgumentError);
    const proposal = {
      channelId: '77',
      login: 'gamma',
      viewerCount: 5,
      language: 'en',
      startedAt: '2026-11-25T00:00:00Z',
    };
    expect(await proposeChannels(db, [proposal])).toBe(1);
    expect(await proposeChannels(db, [proposal])).toBe(0);
    expect(await enabledChannelLogins(db)).toEqual(['alpha', 'beta']);
    expect(await disableChannel(db, 'beta', 'test')).toBe(true);
    expect(await enabledChannelLogins(db)).toEqual(['alpha']);
  });

  it('watches the bot and suppression lists', async () => {
    db = await createTestPglite();
    await db.query(sqlInsert('bots', 11));
    await db.query(sqlInsert('suppressions', 12));
    const watch = await watchExclusions(db);
    expect([watch.isExcluded('11'), watch.isExcluded('12'), watch.isExcluded('13')]).toEqual([true, true, false]);
    watch.stop();
  });
});

describe('workers', () => {
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.reverse()) await fn();
    cleanup = [];
  });

  it('aggregate and seal a finished epoch from collected chat, learning the channel id on the way', async () => {
    const db = await createTestPglite();
    cleanup.push(() => db.close());
    await enableChannels(db, ['somechannel'], 'test');
    const source = new PushSource();
    const collector = await startCollector(source, {
      collectorId: 'c1',
      spoolDir: await mkdtemp(join(tmpdir(), 'ao-worker-')),
      db,
      epochSeconds: HOUR,
      watermarkClock: 'receive',
      heartbeatMs: 100,
    });
    cleanup.push(() => collector.stop());
    // Viewer 1001 is active in three distinct minutes, viewer 1002 in one.
    await source.push([0, 1, 2].map((m) => messageEvent((past + m * 60) * 1000, '1001', '42')));
    await source.push([messageEvent((past + 30) * 1000, '1002', '42')]);
    await collector.drain();
    const queue = createJobQueue({ db, pollMs: 50 });
    cleanup.push(() => queue.close());
    startWorkers(db, queue, {
      epochSeconds: HOUR,
      graceSeconds: 0,
      deadAfterSeconds: 300,
      policy: { id: 'weighted-v1', params: { epochBudget: 10_000n, ratePerPoint: 10n } },
      retentionDays: 30,
      scheduleMs: 100,
    });
    await waitForValue('the epoch to seal', async () => {
      const [row] = await db.db.select().from(epochs);
      return row?.status === 'sealed' ? row : undefined;
    });
    const [channel] = await db.db.select().from(channels);
    expect(channel?.channelId).toBe(42n);
    const rows = await db.db.select().from(allocations);
    expect(rows.map((r) => [r.viewer, r.points, r.amount])).toEqual([
      ['1001', 300n, 3000n],
      ['1002', 100n, 1000n],
    ]);
    // The leaderboard-totals job follows the seal.
    const totals = await waitForValue('the leaderboard totals', async () => {
      const found = await db.query<{ viewer: string; total: string }>(
        sql`select viewer, total::text as total from viewer_totals order by viewer`,
      );
      return found.length === 2 ? found : undefined;
    });
    expect(totals).toEqual([
      { viewer: '1001', total: '3000' },
      { viewer: '1002', total: '1000' },
    ]);
  });
});

const sqlInsert = (table: 'bots' | 'suppressions', userId: number) =>
  sql`insert into ${sql.raw(table)} (user_id) values (${userId})`;
