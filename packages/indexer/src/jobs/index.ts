// The job queue's public surface, and the one factory that picks the implementation.
import type { DatabaseHandle } from '@attention-oracle/db';
import { BullmqJobQueue } from './bullmq-queue.js';
import { DbJobQueue, type DbJobQueueOptions } from './db-queue.js';
import type { JobQueue } from './queue.js';

export { BullmqJobQueue, type BullmqJobQueueOptions } from './bullmq-queue.js';
export {
  defineJob,
  isQueueName,
  type JobContract,
  type JobData,
  type JobResult,
  jobContracts,
  parseJobData,
  type QueueName,
  queueNames,
} from './contracts.js';
export { DbJobQueue, type DbJobQueueOptions } from './db-queue.js';
export { InvalidJobPayloadError, isNonRetryable, NonRetryableJobError } from './errors.js';
export { type JobKeyPart, jobId, jobIdFor, requireJobId, timeBucket } from './job-ids.js';
export {
  type AddOptions,
  type JobContext,
  type JobCounts,
  type JobHandler,
  type JobLogger,
  type JobQueue,
  type JobQueueOptions,
  type JobSnapshot,
  type JobStatus,
  jobQueueDefaults,
  retryDelayMs,
  type WorkOptions,
} from './queue.js';

/** Options of {@link createJobQueue}: the database queue's options, plus Redis for BullMQ. */
export interface CreateJobQueueOptions extends DbJobQueueOptions {
  /** The database; holds the jobs unless `redisUrl` is given. */
  db: DatabaseHandle;
  /** With it, jobs go to BullMQ on this Redis server; without it, to the database. */
  redisUrl?: string;
  /** BullMQ's Redis key prefix (ignored by the database queue). */
  prefix?: string;
}

/**
 * The job queue for this deployment: BullMQ when a Redis URL is configured, otherwise the in-process queue in the
 * database (the embedded default). Options that only one implementation knows are ignored by the other.
 *
 * @example
 * const queue = createJobQueue({ db, redisUrl: env.REDIS_URL, logger });
 * queue.work('epoch-seal', async ({ epoch }) => sealEpoch(db, epoch));
 * queue.every('seal-scheduler', 60_000, async () => {
 *   for (const epoch of await epochsReadyToSeal(db)) await queue.add('epoch-seal', jobId.seal(epoch), { epoch });
 * });
 * process.once('SIGTERM', () => void queue.close());
 */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  const { db, redisUrl, prefix, pollMs, leaseMs, cleanupIntervalMs, workerId, ...common } = options;
  if (redisUrl !== undefined) return new BullmqJobQueue({ ...common, redisUrl, prefix });
  return new DbJobQueue(db, { ...common, pollMs, leaseMs, cleanupIntervalMs, workerId });
}
