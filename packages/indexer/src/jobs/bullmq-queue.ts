// The job queue on Redis through BullMQ, for deployments with REDIS_URL: one Queue and one Worker per queue name.
import { type JobType, Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { closeBullmqWorker, startBullmqWorker } from './bullmq-worker-internal.js';
import type { JobData, JobResult, QueueName } from './contracts.js';
import { queueNames } from './contracts.js';
import { prepareJob, requireConcurrency } from './execution-internal.js';
import type {
  AddOptions,
  JobCounts,
  JobHandler,
  JobLogger,
  JobQueue,
  JobQueueOptions,
  JobSnapshot,
  JobStatus,
  WorkOptions,
} from './queue.js';
import { jobQueueDefaults } from './queue.js';
import { Scheduler } from './scheduler-internal.js';

/** Options of the BullMQ queue. */
export interface BullmqJobQueueOptions extends JobQueueOptions {
  /** The Redis server, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Prefix of every Redis key (default `ao`): deployments or tests sharing a server use different ones. */
  prefix?: string;
}

// BullMQ's finer states, folded into ours. Paused queues are not used here; a paused job still waits.
const stateToStatus: Partial<Record<string, JobStatus>> = {
  waiting: 'waiting',
  paused: 'waiting',
  prioritized: 'waiting',
  'waiting-children': 'waiting',
  delayed: 'delayed',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
};
const countedStates = Object.keys(stateToStatus) as JobType[];

/**
 * BullMQ 6 on Redis. The job id is the business key; retries use BullMQ's exponential backoff; finished jobs are
 * removed by age (`keepCompletedMs`, `keepFailedMs`); a job whose worker died is recovered by BullMQ's stalled-job
 * check once its lock expires.
 *
 * @example
 * const queue = new BullmqJobQueue({ redisUrl, logger });
 * queue.work('epoch-seal', async ({ epoch }) => sealEpoch(db, epoch), { concurrency: 1 });
 */
export class BullmqJobQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly logger: JobLogger;
  private readonly settings: Required<Omit<BullmqJobQueueOptions, 'logger'>>;
  private readonly producer: Redis;
  private workerConnection: Redis | undefined;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers = new Map<QueueName, Worker>();
  private readonly scheduler: Scheduler;
  private lastTimestamp = 0;
  private closed = false;

  constructor(options: BullmqJobQueueOptions) {
    this.logger = options.logger ?? pino({ name: 'jobs' });
    this.scheduler = new Scheduler(this.logger);
    this.settings = {
      redisUrl: options.redisUrl,
      prefix: options.prefix ?? 'ao',
      backoffMs: options.backoffMs ?? jobQueueDefaults.backoffMs,
      keepCompletedMs: options.keepCompletedMs ?? jobQueueDefaults.keepCompletedMs,
      keepFailedMs: options.keepFailedMs ?? jobQueueDefaults.keepFailedMs,
      closeTimeoutMs: options.closeTimeoutMs ?? jobQueueDefaults.closeTimeoutMs,
    };
    this.producer = this.connect({});
  }

  async add<Q extends QueueName>(
    queue: Q,
    id: string,
    data: JobData<Q>,
    options?: AddOptions,
  ): Promise<{ added: boolean }> {
    this.requireOpen();
    const job = prepareJob(queue, id, data, options);
    const { backoffMs, keepCompletedMs, keepFailedMs } = this.settings;
    // BullMQ answers a duplicate id with the existing job's id, as it does a new job. The add timestamp, unique in
    // this process, tells them apart: the stored job carries ours only if this call created it.
    const timestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    const bullQueue = this.queue(queue);
    await bullQueue.add(queue, job.data, {
      jobId: job.id,
      timestamp,
      delay: job.delayMs,
      attempts: job.attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: { age: Math.ceil(keepCompletedMs / 1000) },
      removeOnFail: { age: Math.ceil(keepFailedMs / 1000) },
    });
    const stored = await bullQueue.getJob(job.id);
    return { added: stored === undefined || stored.timestamp === timestamp };
  }

  work<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options: WorkOptions = {}): void {
    this.requireOpen();
    if (this.workers.has(queue)) throw new Error(`a worker for ${queue} is already running in this job queue`);
    const concurrency = requireConcurrency(options.concurrency ?? 1);
    this.workerConnection ??= this.connect({ maxRetriesPerRequest: null });
    const { prefix } = this.settings;
    const worker = startBullmqWorker(queue, handler, {
      connection: this.workerConnection,
      prefix,
      concurrency,
      logger: this.logger,
    });
    this.workers.set(queue, worker);
  }

  every(name: string, intervalMs: number, tick: () => Promise<void>): void {
    this.scheduler.every(name, intervalMs, tick);
  }

  async counts(queue?: QueueName): Promise<JobCounts> {
    const counts: JobCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    for (const name of queue === undefined ? queueNames : [queue]) {
      const byState = await this.queue(name).getJobCounts(...countedStates);
      for (const [state, n] of Object.entries(byState)) counts[stateToStatus[state] ?? 'waiting'] += n;
    }
    return counts;
  }

  async get<Q extends QueueName>(queue: Q, id: string): Promise<JobSnapshot<Q> | undefined> {
    // State first, then the job: once the state is final, so are the fields read after it.
    const bullQueue = this.queue(queue);
    const status = stateToStatus[await bullQueue.getJobState(id)];
    const job = status && (await bullQueue.getJob(id));
    if (!job || !status) return undefined;
    const result = (job.returnvalue ?? null) as JobResult<Q> | null;
    return {
      id,
      queue,
      status,
      attempts: job.attemptsStarted,
      data: job.data,
      result,
      error: job.failedReason || null,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { closeTimeoutMs } = this.settings;
    await Promise.all([
      this.scheduler.stop(closeTimeoutMs),
      ...[...this.workers.values()].map((worker) => closeBullmqWorker(worker, closeTimeoutMs, this.logger)),
    ]);
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await Promise.all([this.producer, this.workerConnection].map((connection) => connection?.quit()));
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.producer, prefix: this.settings.prefix });
      queue.on('error', (err) => this.logger.error({ err, queue: name }, 'job queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private connect(options: { maxRetriesPerRequest?: null }): Redis {
    const connection = new Redis(this.settings.redisUrl, options);
    connection.on('error', (err) => this.logger.error({ err }, 'redis connection error'));
    return connection;
  }

  private requireOpen(): void {
    if (this.closed) throw new Error('the job queue is closed');
  }
}
