// The SQL of the database queue. Every time comparison uses the database's clock, so processes with skewed clocks
// agree on which jobs are ready and which leases expired. Single statements only: each is atomic on its own, and
// PGlite's one connection is never held across a handler.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import type { QueueName } from './contracts.js';
import type { JobCounts, JobStatus } from './queue.js';

/** A job taken by a worker. */
export interface ClaimedJob {
  id: string;
  data: unknown;
  attempts: number;
  max_attempts: number;
}

/** A job as stored, with its status as `countJobs` reports it. */
export interface StoredJob {
  status: JobStatus;
  attempts: number;
  data: unknown;
  result: unknown;
  last_error: string | null;
}

const millis = (ms: number): ReturnType<typeof sql> => sql`(${ms}::double precision * interval '1 millisecond')`;

/** Inserts a waiting job unless the id exists; true when inserted. */
export async function insertJob(
  db: DatabaseHandle,
  job: { queue: QueueName; id: string; data: unknown; delayMs: number; attempts: number },
): Promise<boolean> {
  const rows = await db.query(sql`
    insert into jobs (id, queue, data, status, run_at, max_attempts)
    values (${job.id}, ${job.queue}, ${JSON.stringify(job.data)}::jsonb, 'waiting', now() + ${millis(job.delayMs)},
      ${job.attempts})
    on conflict (id) do nothing
    returning id`);
  return rows.length === 1;
}

/**
 * Takes the next ready job of `queue` for `token`: a waiting job whose time has come, or an active one whose lease
 * expired (its worker died). `skip locked` lets concurrent pollers pass over a row another is taking instead of
 * waiting on it; the row lock held from the select to the update means only one of them gets it.
 */
export async function claimJob(
  db: DatabaseHandle,
  queue: QueueName,
  token: string,
  leaseMs: number,
): Promise<ClaimedJob | undefined> {
  const rows = await db.query<ClaimedJob>(sql`
    update jobs set status = 'active', attempts = attempts + 1, locked_by = ${token},
      locked_until = now() + ${millis(leaseMs)}
    where id = (
      select id from jobs
      where queue = ${queue} and attempts < max_attempts
        and ((status = 'waiting' and run_at <= now()) or (status = 'active' and locked_until < now()))
      order by run_at, created_at, id
      limit 1
      for update skip locked)
    returning id, data, attempts, max_attempts`);
  return rows[0];
}

/** Fails jobs whose worker died on their last attempt: no attempt is left to take them again. */
export async function failLostJobs(db: DatabaseHandle, queue: QueueName): Promise<string[]> {
  const rows = await db.query<{ id: string }>(sql`
    update jobs set status = 'failed', finished_at = now(), locked_by = null, locked_until = null,
      last_error = 'worker lost (lease expired) during attempt ' || attempts || ' of ' || max_attempts
    where queue = ${queue} and status = 'active' and locked_until < now() and attempts >= max_attempts
    returning id`);
  return rows.map((row) => row.id);
}

// The statements below change a job only while `token` still holds it: a worker whose lease expired and was taken
// over can no longer renew, complete or fail it, so the completion record is written once.

/** Extends the lease; false when the lock was lost. */
export async function renewLease(db: DatabaseHandle, id: string, token: string, leaseMs: number): Promise<boolean> {
  const rows = await db.query(sql`
    update jobs set locked_until = now() + ${millis(leaseMs)}
    where id = ${id} and locked_by = ${token} and status = 'active'
    returning id`);
  return rows.length === 1;
}

/** Records success; false when the lock was lost. */
export async function completeJob(db: DatabaseHandle, id: string, token: string, result: unknown): Promise<boolean> {
  const rows = await db.query(sql`
    update jobs set status = 'completed', result = ${JSON.stringify(result ?? null)}::jsonb, finished_at = now(),
      locked_by = null, locked_until = null
    where id = ${id} and locked_by = ${token} and status = 'active'
    returning id`);
  return rows.length === 1;
}

/** Records a failed attempt: the job waits `retryInMs` for its next attempt, or fails when `retryInMs` is null. */
export async function recordFailure(
  db: DatabaseHandle,
  id: string,
  token: string,
  error: string,
  retryInMs: number | null,
): Promise<boolean> {
  const next =
    retryInMs === null
      ? sql`status = 'failed', finished_at = now()`
      : sql`status = 'waiting', run_at = now() + ${millis(retryInMs)}`;
  const rows = await db.query(sql`
    update jobs set ${next}, last_error = ${error}, locked_by = null, locked_until = null
    where id = ${id} and locked_by = ${token} and status = 'active'
    returning id`);
  return rows.length === 1;
}

/** Deletes finished jobs past their keep time; returns how many. */
export async function deleteExpiredJobs(
  db: DatabaseHandle,
  keepCompletedMs: number,
  keepFailedMs: number,
): Promise<number> {
  const rows = await db.query(sql`
    delete from jobs
    where (status = 'completed' and finished_at < now() - ${millis(keepCompletedMs)})
      or (status = 'failed' and finished_at < now() - ${millis(keepFailedMs)})
    returning id`);
  return rows.length;
}

/** Jobs per status; a waiting job whose time has not come counts as delayed. */
export async function countJobs(db: DatabaseHandle, queue?: QueueName): Promise<JobCounts> {
  const rows = await db.query<{ status: JobStatus; n: number }>(sql`
    select case when status = 'waiting' and run_at > now() then 'delayed' else status end as status,
      count(*)::int as n
    from jobs ${queue === undefined ? sql`` : sql`where queue = ${queue}`}
    group by 1`);
  const counts: JobCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** One job, or undefined. */
export async function findJob(db: DatabaseHandle, queue: QueueName, id: string): Promise<StoredJob | undefined> {
  const rows = await db.query<StoredJob>(sql`
    select case when status = 'waiting' and run_at > now() then 'delayed' else status end as status,
      attempts, data, result, last_error
    from jobs where id = ${id} and queue = ${queue}`);
  return rows[0];
}
