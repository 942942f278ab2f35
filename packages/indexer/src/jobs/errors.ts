// Errors a job can end with. Both queues fail a job at once, without retries, when its handler throws one of these.

/**
 * A failure that retrying cannot fix (bad input, a state that forbids the work). Handlers throw it to skip the
 * remaining attempts; the job is marked failed with this message.
 *
 * @example
 * if (epochIsImmutable) throw new NonRetryableJobError(`epoch ${epoch} is sealed with another input hash`);
 */
export class NonRetryableJobError extends Error {
  override readonly name: string = 'NonRetryableJobError';
}

/** A job's payload does not match its queue's contract: when added (thrown by `add`) or when it runs (job failed). */
export class InvalidJobPayloadError extends NonRetryableJobError {
  override readonly name: string = 'InvalidJobPayloadError';
}

/** Whether `error` (or the error a job ended with) must not be retried. */
export function isNonRetryable(error: unknown): boolean {
  return error instanceof NonRetryableJobError;
}
