// What the admin routes share besides the common inputs: dates out, and the one place an indexer's
// InvalidArgumentError becomes a 400 with its message.
import { InvalidArgumentError } from '@attention-oracle/core';
import { fail, ok, type Result } from '../errors.js';

/**
 * `date` as ISO 8601, or null.
 *
 * @example isoOrNull(row.revokedAt) // '2026-11-25T15:00:00.000Z' or null
 */
export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/**
 * Runs `work` (an indexer call), answering its InvalidArgumentError as a BAD_REQUEST failure with its message (they
 * name the bad input, never internals); any other error stays an error (a 500).
 *
 * @example return unwrap(await refusingInvalid(() => addCorrection(ctx.db, input)));
 */
export async function refusingInvalid<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof InvalidArgumentError) return fail('BAD_REQUEST', error.message);
    throw error;
  }
}
