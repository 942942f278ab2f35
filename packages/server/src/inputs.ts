// Input pieces procedures share: Twitch user ids and logins, a viewer named by either, wallets, root seqs, pages.
import { z } from 'zod';

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
 * A viewer by Twitch login or user id (the service checks that exactly one is given).
 *
 * @example publicProcedure.input(z.object({ ...viewerRefInput }))
 */
export const viewerRefInput = { login: loginInput.optional(), userId: userIdInput.optional() };

/**
 * A base58 wallet address (checked to be 32 bytes by the service).
 *
 * @example z.object({ wallet: walletInput })
 */
export const walletInput = z.string().min(1).max(64);

/**
 * A root seq in decimal.
 *
 * @example z.object({ seq: seqInput.optional() })
 */
export const seqInput = z.string().regex(/^[1-9][0-9]{0,18}$/, 'seq must be a positive integer');

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
