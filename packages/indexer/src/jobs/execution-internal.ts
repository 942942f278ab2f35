// What both queues do the same way: check a job before it is added, and validate its payload before it runs.
import { InvalidArgumentError } from '@attention-oracle/core';
import { type JobData, type JobResult, parseJobData, type QueueName } from './contracts.js';
import { requireJobId } from './job-ids.js';
import { type AddOptions, type JobContext, type JobHandler, jobQueueDefaults } from './queue.js';

const MAX_ATTEMPTS = 100;

/** A job ready to be stored: id checked, payload parsed, options resolved. */
export interface PreparedJob<Q extends QueueName> {
  id: string;
  data: JobData<Q>;
  delayMs: number;
  attempts: number;
}

/** Checks everything `add` is given; throws before anything is stored. */
export function prepareJob<Q extends QueueName>(
  queue: Q,
  id: string,
  data: JobData<Q>,
  options: AddOptions = {},
): PreparedJob<Q> {
  const delayMs = options.delayMs ?? 0;
  const attempts = options.attempts ?? jobQueueDefaults.attempts;
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new InvalidArgumentError(`delayMs must be >= 0, got ${delayMs}`);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS) {
    throw new InvalidArgumentError(`attempts must be an integer in 1..${MAX_ATTEMPTS}, got ${attempts}`);
  }
  return { id: requireJobId(id), data: parseJobData(queue, data), delayMs: Math.round(delayMs), attempts };
}

/** Validates the stored payload (it may predate the current contract), then runs the handler. */
export async function runHandler<Q extends QueueName>(
  queue: Q,
  storedData: unknown,
  handler: JobHandler<Q>,
  context: JobContext,
): Promise<JobResult<Q>> {
  const data = parseJobData(queue, storedData);
  return handler(data, context);
}

/** The text kept as a failed attempt's error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Checks `work`'s concurrency. */
export function requireConcurrency(concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  return concurrency;
}
