// The in-process job queue of the embedded defaults: jobs live in the `jobs` table, so a kill -9 loses none.
import { hostname } from 'node:os';
import type { DatabaseHandle } from '@attention-oracle/db';
import pino from 'pino';
import type { JobData, JobResult, QueueName } from './contracts.js';
import { countJobs, deleteExpiredJobs, findJob, insertJob } from './db-statements-internal.js';
import { DbWorker } from './db-worker-internal.js';
import { prepareJob, requireConcurrency } from './execution-internal.js';
import type {
  AddOptions,
  JobCounts,
  JobHandler,
  JobLogger,
  JobQueue,
  JobQueueOptions,
  JobSnapshot,
  WorkOptions,
} from './queue.js';
import { jobQueueDefaults } from './queue.js';
import { Scheduler } from './scheduler-internal.js';

/** Options of the database queue. */
export interface DbJobQueueOptions extends JobQueueOptions {
  /** Pause between polls when no job is ready (default 1 s). A local `add` wakes the poller at once. */
  pollMs?: number;
  /** A running job's lease: renewed every third of it; a job whose lease lapsed is taken again (default 30 s). */
  leaseMs?: number;
  /** How often finished jobs past their keep time are deleted (default 1 min). */
  cleanupIntervalMs?: number;
  /** Names this process in the lock column, for operators (default `<hostname>/<pid>`). */
  workerId?: string;
}

/**
 * Jobs in the `jobs` table on PGlite or PostgreSQL. `add` inserts with `on conflict do nothing`; workers claim
 * ready jobs one statement at a time with `for update skip locked` and hold them under a lease they renew, so several
 * processes on one PostgreSQL database never run a job at once, and a job whose worker died is taken again once its
 * lease lapses.
 *
 * @example
 * const queue = new DbJobQueue(db, { logger });
 * queue.work('epoch-seal', async ({ epoch }) => sealEpoch(db, epoch));
 * await queue.add('epoch-seal', jobId.seal(epoch), { epoch });
 */
export class DbJobQueue implements JobQueue {
  readonly kind = 'database';
  private readonly logger: JobLogger;
  private readonly settings: Required<Omit<DbJobQueueOptions, 'logger'>>;
  private readonly workers = new Map<QueueName, Pick<DbWorker<QueueName>, 'poke' | 'stop'>>();
  private readonly scheduler: Scheduler;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private cleanupRun: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: DatabaseHandle,
    options: DbJobQueueOptions = {},
  ) {
    this.logger = options.logger ?? pino({ name: 'jobs' });
    this.scheduler = new Scheduler(this.logger);
    this.settings = {
      backoffMs: options.backoffMs ?? jobQueueDefaults.backoffMs,
      keepCompletedMs: options.keepCompletedMs ?? jobQueueDefaults.keepCompletedMs,
      keepFailedMs: options.keepFailedMs ?? jobQueueDefaults.keepFailedMs,
      closeTimeoutMs: options.closeTimeoutMs ?? jobQueueDefaults.closeTimeoutMs,
      pollMs: options.pollMs ?? 1_000,
      leaseMs: options.leaseMs ?? 30_000,
      cleanupIntervalMs: options.cleanupIntervalMs ?? 60_000,
      workerId: options.workerId ?? `${hostname()}/${process.pid}`,
    };
  }

  async add<Q extends QueueName>(
    queue: Q,
    id: string,
    data: JobData<Q>,
    options?: AddOptions,
  ): Promise<{ added: boolean }> {
    this.requireOpen();
    const job = prepareJob(queue, id, data, options);
    const added = await insertJob(this.db, { queue, ...job });
    if (added && job.delayMs === 0) this.workers.get(queue)?.poke();
    return { added };
  }

  work<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options: WorkOptions = {}): void {
    this.requireOpen();
    if (this.workers.has(queue)) throw new Error(`a worker for ${queue} is already running in this job queue`);
    const { workerId, leaseMs, pollMs, backoffMs } = this.settings;
    const concurrency = requireConcurrency(options.concurrency ?? 1);
    const settings = { db: this.db, queue, handler, concurrency, workerId, leaseMs, pollMs, backoffMs };
    this.workers.set(queue, new DbWorker({ ...settings, logger: this.logger }));
    this.startCleanup();
  }

  every(name: string, intervalMs: number, tick: () => Promise<void>): void {
    this.scheduler.every(name, intervalMs, tick);
  }

  counts(queue?: QueueName): Promise<JobCounts> {
    return countJobs(this.db, queue);
  }

  async get<Q extends QueueName>(queue: Q, id: string): Promise<JobSnapshot<Q> | undefined> {
    const row = await findJob(this.db, queue, id);
    if (!row) return undefined;
    const { status, attempts, data } = row;
    return { id, queue, status, attempts, data, result: row.result as JobResult<Q> | null, error: row.last_error };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.cleanupTimer);
    const { closeTimeoutMs } = this.settings;
    await Promise.all([
      this.cleanupRun,
      this.scheduler.stop(closeTimeoutMs),
      ...[...this.workers.values()].map((worker) => worker.stop(closeTimeoutMs)),
    ]);
  }

  /** Deletes expired finished jobs now and then on a timer, in processes that work (producers need not). */
  private startCleanup(): void {
    if (this.cleanupTimer) return;
    const cleanup = () => {
      const { keepCompletedMs, keepFailedMs } = this.settings;
      this.cleanupRun = deleteExpiredJobs(this.db, keepCompletedMs, keepFailedMs).then(
        (deleted) => {
          if (deleted > 0) this.logger.info({ deleted }, 'expired finished jobs deleted');
        },
        (err: unknown) => this.logger.error({ err }, 'deleting expired jobs failed'),
      );
    };
    cleanup();
    this.cleanupTimer = setInterval(cleanup, this.settings.cleanupIntervalMs);
  }

  private requireOpen(): void {
    if (this.closed) throw new Error('the job queue is closed');
  }
}
