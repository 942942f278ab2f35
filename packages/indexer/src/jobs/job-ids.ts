// Job ids are business keys: the same work always gets the same id, so adding it twice is a no-op while the first
// job (waiting, running, or finished and still kept) exists. Work that must repeat puts a bucket in its id.
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '@attention-oracle/core';
import type { QueueName } from './contracts.js';

/** A key part: a non-negative safe integer, or 1-64 of letters, digits, `_` and `-`. */
export type JobKeyPart = number | string;

const SEPARATOR = '.';
const KEY_PART = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ID_LENGTH = 256;

/**
 * The id of a job of `queue` for the business key `parts`: `<queue>.<part>.<part>`. BullMQ refuses `:` in custom
 * ids, hence the `.` separator; parts cannot contain it, so distinct keys never share an id.
 *
 * @example
 * jobIdFor('epoch-seal', 1_700_000_000); // 'epoch-seal.1700000000'
 */
export function jobIdFor(queue: QueueName, ...parts: JobKeyPart[]): string {
  if (parts.length === 0) throw new InvalidArgumentError(`job id for ${queue}: a business key is required`);
  for (const part of parts) {
    const ok = typeof part === 'number' ? Number.isSafeInteger(part) && part >= 0 : KEY_PART.test(part);
    if (!ok) {
      throw new InvalidArgumentError(
        `job id for ${queue}: key part ${JSON.stringify(part)} must be a non-negative integer or 1-64 of [A-Za-z0-9_-]`,
      );
    }
  }
  return [queue, ...parts].join(SEPARATOR);
}

/**
 * Checks an id before it is used by either queue, so both accept exactly the same ids.
 *
 * @throws InvalidArgumentError for an empty, over-long or integer-like id, or one containing `:`.
 */
export function requireJobId(id: string): string {
  if (id.length === 0 || id.length > MAX_ID_LENGTH || id.includes(':') || /^\d+$/.test(id)) {
    throw new InvalidArgumentError(
      `invalid job id ${JSON.stringify(id.slice(0, 80))}: 1-${MAX_ID_LENGTH} characters, no ':', not an integer`,
    );
  }
  return id;
}

/**
 * The index of the `intervalMs`-long time bucket `atMs` falls in: a key part for work that repeats on a cadence.
 *
 * @example
 * jobId.retention(timeBucket(Date.now(), 86_400_000)); // once per UTC day
 */
export function timeBucket(atMs: number, intervalMs: number): number {
  if (!(intervalMs > 0)) throw new InvalidArgumentError(`time bucket interval must be positive, got ${intervalMs}`);
  return Math.floor(atMs / intervalMs);
}

/** Id helpers for each queue's business key. */
export const jobId = {
  /** Aggregation of `epoch` repeats while the epoch is open: one job per `bucket` (e.g. a time bucket). */
  aggregate: (epoch: number, bucket: JobKeyPart) => jobIdFor('participation-aggregate', epoch, bucket),
  /** An epoch seals once. */
  seal: (epoch: number) => jobIdFor('epoch-seal', epoch),
  /** Discovery runs once per bucket. */
  discovery: (bucket: JobKeyPart) => jobIdFor('channel-discovery', bucket),
  /** Retention runs once per bucket. */
  retention: (bucket: JobKeyPart) => jobIdFor('retention', bucket),
  /** A file imports once per path and format (the path is hashed: it may hold any character). */
  backfill: (file: string, format: 'csv' | 'jsonl') =>
    jobIdFor('backfill-import', format, createHash('sha256').update(file).digest('hex').slice(0, 32)),
  /** Leaderboard totals catch up once per bucket. */
  leaderboard: (bucket: JobKeyPart) => jobIdFor('leaderboard-totals', bucket),
  /** The ledger is credited once per bucket. */
  credit: (bucket: JobKeyPart) => jobIdFor('ledger-credit', bucket),
  /** A root is built once per cadence bucket. */
  treeBuild: (bucket: JobKeyPart) => jobIdFor('tree-build', bucket),
  /** A built root (by row id) is published once; its seq is in the id for operators reading the queue. */
  publish: (seq: bigint, rootId: number) => jobIdFor('root-publish', seq.toString(), rootId),
  /** Chain watching and claim reconciliation repeat per bucket. */
  chainWatch: (bucket: JobKeyPart) => jobIdFor('chain-watch', bucket),
  reconcile: (bucket: JobKeyPart) => jobIdFor('claim-reconcile', bucket),
} as const;
