// One BullMQ Worker for one queue: payload validation, non-retryable errors, logging, and a bounded close.
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from './contracts.js';
import { isNonRetryable } from './errors.js';
import { errorMessage, runHandler } from './execution-internal.js';
import type { JobHandler, JobLogger } from './queue.js';
import { settleWithin } from './wait-internal.js';

/** Starts a worker; `connection` must have `maxRetriesPerRequest: null` (BullMQ's blocking commands need it). */
export function startBullmqWorker<Q extends QueueName>(
  queue: Q,
  handler: JobHandler<Q>,
  settings: { connection: Redis; prefix: string; concurrency: number; logger: JobLogger },
): Worker {
  const { connection, prefix, concurrency, logger } = settings;
  const processor = async (job: Job, _token?: string, signal?: AbortSignal): Promise<unknown> => {
    // attemptsStarted counts this run and runs lost to stalls, like the database queue's attempt.
    const context = { id: job.id ?? '', attempt: job.attemptsStarted, signal: signal ?? new AbortController().signal };
    try {
      return await runHandler(queue, job.data, handler, context);
    } catch (err) {
      // UnrecoverableError is BullMQ's way to skip the remaining attempts.
      if (isNonRetryable(err)) throw new UnrecoverableError(errorMessage(err));
      throw err;
    }
  };
  const worker = new Worker(queue, processor, { connection, prefix, concurrency });
  worker.on('error', (err) => logger.error({ err, queue }, 'job worker error'));
  worker.on('failed', (job, err) => {
    logger.warn({ err, queue, id: job?.id, attempt: job?.attemptsStarted }, 'job attempt failed');
  });
  return worker;
}

/** Closes a worker, waiting up to `timeoutMs` for its running jobs, then aborting their signals. */
export async function closeBullmqWorker(worker: Worker, timeoutMs: number, logger: JobLogger): Promise<void> {
  if (await settleWithin([worker.close()], timeoutMs)) return;
  // BullMQ moves the abandoned jobs back to waiting once their locks expire (its stalled-job check).
  logger.warn({ queue: worker.name }, 'jobs still running at close; left to the stalled-job check');
  worker.cancelAllJobs('job queue closed before the job finished');
  await worker.close(true);
}
