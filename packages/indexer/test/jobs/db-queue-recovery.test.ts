// The database queue's crash safety, on PGlite and on PostgreSQL: dead workers' jobs are taken again and completed
// once; a worker that lost its lease cannot record an outcome.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, openDatabase, sql } from '@attention-oracle/db';
import { createTestPglite, createTestPostgres } from '@attention-oracle/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DbJobQueue, type DbJobQueueOptions } from '../../src/jobs/db-queue.js';
import { claimJob, completeJob, recordFailure, renewLease } from '../../src/jobs/db-statements-internal.js';
import { jobId } from '../../src/jobs/job-ids.js';
import { killHard, startCrashingWorker } from './fixtures/spawn-worker.js';
import { silentLogger, waitFor } from './fixtures/wait.js';

const EPOCH = 1_700_006_400;

interface Variant {
  name: string;
  open(): Promise<{ handle: DatabaseHandle; url?: string; drop(): Promise<void> }>;
}

const variants: Variant[] = [
  {
    name: 'pglite',
    open: async () => {
      const handle = await createTestPglite();
      return { handle, drop: () => handle.close() };
    },
  },
  { name: 'postgres', open: () => createTestPostgres() },
];

const jobRow = async (db: DatabaseHandle, id: string) =>
  (
    await db.query<{ status: string; attempts: number; locked_by: string | null; last_error: string | null }>(
      sql`select status, attempts, locked_by, last_error from jobs where id = ${id}`,
    )
  )[0];

/** Inserts a job as a worker that died mid-run leaves it: active, its lease lapsed (or not, with `leaseLeftMs`). */
async function insertOrphan(db: DatabaseHandle, id: string, attempts: number, maxAttempts = 5, leaseLeftMs = -1000) {
  await db.query(sql`
    insert into jobs (id, queue, data, status, attempts, max_attempts, locked_by, locked_until)
    values (${id}, 'epoch-seal', ${JSON.stringify({ epoch: EPOCH })}::jsonb, 'active', ${attempts}, ${maxAttempts},
      'dead-host/1/lease', now() + (${leaseLeftMs}::double precision * interval '1 millisecond'))`);
}

describe.each(variants)('database queue recovery: $name', (variant) => {
  let db: DatabaseHandle;
  let drop: () => Promise<void>;
  const queues: DbJobQueue[] = [];
  const newQueue = (options: DbJobQueueOptions = {}) => {
    const queue = new DbJobQueue(db, { logger: silentLogger, pollMs: 25, leaseMs: 1_500, backoffMs: 50, ...options });
    queues.push(queue);
    return queue;
  };

  beforeAll(async () => {
    ({ handle: db, drop } = await variant.open());
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    await db.query(sql`delete from jobs`);
  });
  afterAll(() => drop());

  it('takes over a job whose lease lapsed and completes it once', async () => {
    await insertOrphan(db, jobId.seal(EPOCH), 1);
    const attempts: number[] = [];
    newQueue().work('epoch-seal', async (_data, job) => {
      attempts.push(job.attempt);
      return { sealed: true, inputHash: 'recovered' };
    });
    await waitFor(async () => (await jobRow(db, jobId.seal(EPOCH)))?.status === 'completed');
    expect(attempts).toEqual([2]);
    expect(await jobRow(db, jobId.seal(EPOCH))).toMatchObject({ attempts: 2, locked_by: null });
  });

  it('leaves a job alone while its lease is live', async () => {
    await insertOrphan(db, jobId.seal(EPOCH), 1, 5, 3_600_000);
    const ran: string[] = [];
    const queue = newQueue();
    queue.work('epoch-seal', async (_data, job) => {
      ran.push(job.id);
      return { sealed: true, inputHash: null };
    });
    // A later job completing proves the poller looked past the leased one.
    await queue.add('epoch-seal', jobId.seal(EPOCH + 3600), { epoch: EPOCH + 3600 });
    await waitFor(async () => (await queue.get('epoch-seal', jobId.seal(EPOCH + 3600)))?.status === 'completed');
    expect(ran).toEqual([jobId.seal(EPOCH + 3600)]);
    expect(await jobRow(db, jobId.seal(EPOCH))).toMatchObject({ status: 'active', attempts: 1 });
  });

  it('fails a job whose worker died on its last attempt', async () => {
    await insertOrphan(db, jobId.seal(EPOCH), 2, 2);
    let calls = 0;
    newQueue().work('epoch-seal', async () => {
      calls += 1;
      return { sealed: true, inputHash: null };
    });
    await waitFor(async () => (await jobRow(db, jobId.seal(EPOCH)))?.status === 'failed');
    expect(await jobRow(db, jobId.seal(EPOCH))).toMatchObject({
      attempts: 2,
      last_error: 'worker lost (lease expired) during attempt 2 of 2',
    });
    expect(calls).toBe(0);
  });

  it('deletes finished jobs once their keep time is over; the id can then run again', async () => {
    const kept = newQueue({ keepCompletedMs: 3_600_000, keepFailedMs: 3_600_000 });
    await kept.add('retention', jobId.retention(1), { olderThanDays: 30 });
    let runs = 0;
    kept.work('retention', async () => {
      runs += 1;
      return { deleted: 0 };
    });
    await waitFor(async () => (await kept.get('retention', jobId.retention(1)))?.status === 'completed');
    await kept.close();

    const expiring = newQueue({ keepCompletedMs: 0, cleanupIntervalMs: 25 });
    expiring.work('retention', async () => {
      runs += 1;
      return { deleted: 0 };
    });
    await waitFor(async () => (await expiring.get('retention', jobId.retention(1))) === undefined);
    expect(await expiring.add('retention', jobId.retention(1), { olderThanDays: 30 })).toEqual({ added: true });
    await waitFor(async () => runs === 2);
  });

  it('lets only the current lease holder renew, complete or fail a job', async () => {
    await newQueue().add('epoch-seal', jobId.seal(EPOCH), { epoch: EPOCH });
    expect(await claimJob(db, 'epoch-seal', 'stale', 1)).toMatchObject({ id: jobId.seal(EPOCH), attempts: 1 });
    const current = await waitFor(() => claimJob(db, 'epoch-seal', 'current', 60_000), { what: 'lapsed lease' });
    expect(current.attempts).toBe(2);
    expect(await renewLease(db, current.id, 'stale', 60_000)).toBe(false);
    expect(await completeJob(db, current.id, 'stale', { sealed: false, inputHash: null })).toBe(false);
    expect(await recordFailure(db, current.id, 'stale', 'late failure', null)).toBe(false);
    expect(await completeJob(db, current.id, 'current', { sealed: true, inputHash: 'h' })).toBe(true);
    expect(await completeJob(db, current.id, 'current', { sealed: true, inputHash: 'again' })).toBe(false);
    expect(await newQueue().get('epoch-seal', current.id)).toMatchObject({
      status: 'completed',
      attempts: 2,
      result: { sealed: true, inputHash: 'h' },
      error: null,
    });
  });
});

describe('database queue: a worker process killed with SIGKILL mid-job', () => {
  const cases = [
    { name: 'pglite data folder', persistent: 'pglite' as const },
    { name: 'postgres', persistent: 'postgres' as const },
  ];

  it.each(cases)('$name: the job is taken again after restart and completed once', async ({ persistent }) => {
    const dataDir = persistent === 'pglite' ? mkdtempSync(join(tmpdir(), 'ao-jobs-')) : undefined;
    const postgres = persistent === 'postgres' ? await createTestPostgres() : undefined;
    const leaseMs = 1_500;
    const { child, started } = await startCrashingWorker({
      dataDir,
      databaseUrl: postgres?.url,
      epoch: EPOCH,
      leaseMs,
    });
    let restarted: DbJobQueue | undefined;
    let db: DatabaseHandle | undefined;
    try {
      expect(started).toMatchObject({ started: jobId.seal(EPOCH), attempt: 1 });
      await killHard(child);
      // PGlite allows one process per data folder: the restarted process opens it only after the old one is gone.
      db = postgres ? postgres.handle : await openDatabase({ dataDir });
      expect(await jobRow(db, jobId.seal(EPOCH))).toMatchObject({ status: 'active', attempts: 1 });
      expect((await jobRow(db, jobId.seal(EPOCH)))?.locked_by).toMatch(/^doomed\//);

      const attempts: number[] = [];
      restarted = new DbJobQueue(db, { logger: silentLogger, pollMs: 25, leaseMs });
      restarted.work('epoch-seal', async ({ epoch }, job) => {
        attempts.push(job.attempt);
        return { sealed: true, inputHash: `after-restart-${epoch}` };
      });
      await waitFor(async () => (await jobRow(db as DatabaseHandle, jobId.seal(EPOCH)))?.status === 'completed');
      expect(attempts).toEqual([2]);
      expect(await restarted.get('epoch-seal', jobId.seal(EPOCH))).toMatchObject({
        status: 'completed',
        attempts: 2,
        result: { sealed: true, inputHash: `after-restart-${EPOCH}` },
        error: null,
      });
    } finally {
      await killHard(child);
      await restarted?.close();
      if (postgres) await postgres.drop();
      else await db?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('database queue: two instances on one PostgreSQL database', () => {
  it('never run the same job concurrently, and run each once', async () => {
    const database = await createTestPostgres();
    // A second pool on the same database stands in for a second process.
    const other = await openDatabase({ databaseUrl: database.url, migrate: false });
    const queues = [database.handle, other].map(
      (handle, i) =>
        new DbJobQueue(handle, { logger: silentLogger, pollMs: 10, leaseMs: 1_500, workerId: `instance-${i}` }),
    );
    try {
      const entries = new Map<string, number>();
      const inside = new Set<string>();
      const overlaps: string[] = [];
      const byInstance = [0, 0];
      queues.forEach((queue, i) => {
        queue.work(
          'participation-aggregate',
          async (_data, job) => {
            if (inside.has(job.id)) overlaps.push(job.id);
            inside.add(job.id);
            entries.set(job.id, (entries.get(job.id) ?? 0) + 1);
            byInstance[i] = (byInstance[i] ?? 0) + 1;
            // Every fifth job outlives its lease: only renewal keeps another instance from taking it.
            const bucket = Number(job.id.split('.').at(-1));
            await new Promise((resolve) => setTimeout(resolve, bucket % 5 === 0 ? 2_500 : 5));
            inside.delete(job.id);
            return { rows: bucket };
          },
          { concurrency: 3 },
        );
      });
      const ids: string[] = [];
      for (let bucket = 0; bucket < 40; bucket += 1) {
        const id = jobId.aggregate(EPOCH, bucket);
        ids.push(id);
        await queues[bucket % 2]?.add('participation-aggregate', id, { epoch: EPOCH });
      }
      await waitFor(
        async () => overlaps.length > 0 || (await queues[0]?.counts('participation-aggregate'))?.completed === 40,
        { timeoutMs: 60_000, what: 'all 40 completed' },
      );
      expect(overlaps).toEqual([]);
      expect(ids.filter((id) => entries.get(id) !== 1)).toEqual([]);
      expect((byInstance[0] ?? 0) + (byInstance[1] ?? 0)).toBe(40);
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      await other.close();
      await database.drop();
    }
  });
});
