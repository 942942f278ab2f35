// Input pieces the admin routes share (user ids, logins, pages), and the one place an indexer's InvalidArgumentError
// becomes a 400 with its message.
import { InvalidArgumentError } from '@attention-oracle/core';
import { z } from 'zod';
import { fail, ok, type Result } from '../errors.js';

const INT8_MAX = (1n << 63n) - 1n;

/**
 * A Twitch user id in decimal (what a bigint column holds).
 *
 * @example z.object({ userId: userIdInput })
 */
export const userIdInput = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, 'userId must be a numeric Twitch user id')
  .refine((value) => BigInt(value) <= INT8_MAX, 'userId must be below 2^63');

/**
 * A Twitch login.
 *
 * @example z.object({ login: loginInput })
 */
export const loginInput = z.string().regex(/^[A-Za-z0-9_]{1,25}$/, 'login must be 1-25 letters, digits or _');

/**
 * A page size from 1 to `max` (query strings are coerced).
 *
 * @example z.object({ limit: limitInput(500, 100) })
 */
export const limitInput = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/**
 * A row id (bigserial): to name a row, or to page from one (only rows with a smaller id than the last one seen).
 *
 * @example z.object({ before: rowIdInput.optional() })
 */
export const rowIdInput = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * A base58 wallet address (checked to be 32 bytes by the service).
 *
 * @example z.object({ wallet: walletInput })
 */
export const walletInput = z.string().min(32).max(44);

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
