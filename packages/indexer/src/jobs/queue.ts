// The job queue both implementations satisfy: BullMQ on Redis, or the in-process queue kept in the `jobs` table.
import type { JobData, JobResult, QueueName } from './contracts.js';

/** Where a job is. `delayed`: waiting for its run time (a first delay, or the backoff before a retry). */
export type JobStatus = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

/** Jobs per status. */
export type JobCounts = Record<JobStatus, number>;

/** Per-job options of `add`. */
export interface AddOptions {
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Tries in all, the first included (default {@link jobQueueDefaults.attempts}); then the job fails. */
  attempts?: number;
}

/** What a handler learns about the job it runs. */
export interface JobContext {
  readonly id: string;
  /** 1 on the first try. A try cut short by a dead worker counts. */
  readonly attempt: number;
  /** Aborted when the queue gives up on this run (close timed out, or its lock was lost): stop and throw. */
  readonly signal: AbortSignal;
}

/** Runs one job. Throw to fail the attempt (retried with backoff); throw a `NonRetryableJobError` to fail the job. */
export type JobHandler<Q extends QueueName> = (data: JobData<Q>, job: JobContext) => Promise<JobResult<Q>>;

/** Options of `work`. */
export interface WorkOptions {
  /** Jobs of this queue this process runs at once (default 1). */
  concurrency?: number;
}

/** A job as stored. `data` is as stored (unvalidated); `error` is the last attempt's error, kept after a success. */
export interface JobSnapshot<Q extends QueueName = QueueName> {
  readonly id: string;
  readonly queue: Q;
  readonly status: JobStatus;
  readonly attempts: number;
  readonly data: unknown;
  readonly result: JobResult<Q> | null;
  readonly error: string | null;
}

/** The structured logger the queues write to (pino's `Logger` fits). */
export interface JobLogger {
  debug(context: object, message: string): void;
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/**
 * A durable job queue. Ids are business keys (see `jobId`): `add` with an id that exists, in any status, does
 * nothing, so completed and failed jobs are not re-run while they are kept (`keepCompletedMs`, `keepFailedMs`).
 * Jobs run at least once: a worker killed mid-job has its job run again elsewhere, so handlers must be idempotent.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'database';
  /**
   * Adds a job unless one with `id` exists. The payload is validated against the queue's contract.
   *
   * @throws InvalidJobPayloadError for a payload the contract rejects; InvalidArgumentError for a malformed id.
   */
  add<Q extends QueueName>(queue: Q, id: string, data: JobData<Q>, options?: AddOptions): Promise<{ added: boolean }>;
  /** Starts running `queue`'s jobs in this process with `handler` (once per queue per instance). */
  work<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options?: WorkOptions): void;
  /**
   * Runs `tick` now and then every `intervalMs` in this process, never two at once (a slow tick delays the next).
   * A tick's error is logged, never thrown. Meant for enqueueing work by business key, which is safe when several
   * processes tick at once.
   */
  every(name: string, intervalMs: number, tick: () => Promise<void>): void;
  /** Jobs per status in `queue`, or in all queues. */
  counts(queue?: QueueName): Promise<JobCounts>;
  /** One job, or undefined when there is none with that id (never added, or already removed by retention). */
  get<Q extends QueueName>(queue: Q, id: string): Promise<JobSnapshot<Q> | undefined>;
  /**
   * Stops taking jobs and ticks, waits up to `closeTimeoutMs` for running handlers (then aborts their signals and
   * leaves their jobs to be taken again), and releases what the queue opened. It never closes the database handle.
   */
  close(): Promise<void>;
}

/** Options both implementations take. */
export interface JobQueueOptions {
  logger?: JobLogger;
  /** The first retry's delay; each later retry doubles it (default 1 s). */
  backoffMs?: number;
  /** How long a completed job is kept, so that re-adding its id is a no-op (default 7 days). */
  keepCompletedMs?: number;
  /** How long a failed job is kept with its error (default 30 days). */
  keepFailedMs?: number;
  /** How long `close` waits for running handlers (default 30 s). */
  closeTimeoutMs?: number;
}

const DAY_MS = 86_400_000;

/** The defaults of {@link JobQueueOptions} and {@link AddOptions}. */
export const jobQueueDefaults = {
  attempts: 5,
  backoffMs: 1_000,
  keepCompletedMs: 7 * DAY_MS,
  keepFailedMs: 30 * DAY_MS,
  closeTimeoutMs: 30_000,
} as const;

/**
 * The wait before the retry that follows failed attempt `attempt` (1-based): `backoffMs * 2^(attempt - 1)`, the
 * formula of BullMQ's exponential backoff, so both queues retry on the same schedule.
 */
export function retryDelayMs(backoffMs: number, attempt: number): number {
  return Math.round(backoffMs * 2 ** Math.max(0, attempt - 1));
}
