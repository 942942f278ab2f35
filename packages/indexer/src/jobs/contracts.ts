// Every job the indexer runs, declared once: its queue name, the schema its payload must satisfy, its result type.
// Adding a queue is one entry in `jobContracts`; ids, types, validation and both queue implementations follow.
import { z } from 'zod';
import { InvalidJobPayloadError } from './errors.js';

/** One job's contract: `data` validates the payload when the job is added and again when it runs. */
export interface JobContract<Data extends z.ZodType, Result> {
  readonly data: Data;
  /** Type-only: what the handler returns (stored as JSON, so plain JSON values only; bigints as strings). */
  readonly result?: Result;
}

/** Declares a contract: `defineJob<Result>()(dataSchema)` (curried so the schema's type is inferred). */
export function defineJob<Result>() {
  return <Data extends z.ZodType>(data: Data): JobContract<Data, Result> => ({ data });
}

/** An epoch: its start in unix seconds. */
const epoch = z.number().int().nonnegative();

/** The job contracts, by queue name. */
export const jobContracts = {
  /** Counts participation(epoch, channel, user) from the chat events flushed so far; safe to run repeatedly. */
  'participation-aggregate': defineJob<{ rows: number }>()(z.object({ epoch })),
  /** Seals an epoch into allocations once every live collector is past its end; idempotent. */
  'epoch-seal': defineJob<{ sealed: boolean; inputHash: string | null }>()(z.object({ epoch })),
  /** Proposes channels to enable (discovery never enables one itself). */
  'channel-discovery': defineJob<{ proposed: number }>()(z.object({ limit: z.number().int().min(1).max(10_000) })),
  /** Deletes raw chat events older than the retention period after their epoch sealed. */
  retention: defineJob<{ deleted: number }>()(z.object({ olderThanDays: z.number().int().min(1).max(36_500) })),
  /** Imports legacy participation from a file. */
  'backfill-import': defineJob<{ imported: number; skipped: number }>()(
    z.object({ file: z.string().min(1).max(4096), format: z.enum(['csv', 'jsonl']) }),
  ),
  /** Adds every sealed epoch not yet on the leaderboard to its totals (in epoch order); idempotent. */
  'leaderboard-totals': defineJob<{ epochs: number }>()(z.object({})),
  /** Credits every sealed, not yet credited epoch to the viewers' wallets (in epoch order); idempotent. */
  'ledger-credit': defineJob<{ epochs: number; credited: string; waiting: string }>()(z.object({})),
  /** Builds the next root (seq = the chain's latest + 1) from the ledger's totals, unless nothing changed. */
  'tree-build': defineJob<{ rootId: number | null; seq: string | null; skipped: string | null }>()(z.object({})),
  /** Publishes a built root, or finds it published; safe to retry at any point. */
  'root-publish': defineJob<{ status: string; signature: string | null }>()(
    z.object({ rootId: z.number().int().positive() }),
  ),
  /** Records the program's GlobalRootPublished and GlobalRewardsClaimed events from a resumable cursor. */
  'chain-watch': defineJob<{ transactions: number; claims: number; roots: number }>()(z.object({})),
  /** Settles or voids pending direct claims from their signatures and block heights. */
  'claim-reconcile': defineJob<{ settled: number; failed: number; voided: number; pending: number }>()(z.object({})),
} as const;

type Contracts = typeof jobContracts;

/** A queue's name; one queue per job kind. */
export type QueueName = keyof Contracts;
/** The payload a job of queue `Q` carries. */
export type JobData<Q extends QueueName> = z.infer<Contracts[Q]['data']>;
/** What a handler of queue `Q` returns. */
export type JobResult<Q extends QueueName> = Exclude<Contracts[Q]['result'], undefined>;

/** Every queue name, in declaration order. */
export const queueNames = Object.keys(jobContracts) as QueueName[];

/** Whether `name` is a declared queue. */
export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(jobContracts, name);
}

/**
 * Validates a payload against its queue's contract and returns it parsed.
 *
 * @throws InvalidJobPayloadError naming the queue and every bad field.
 * @example
 * const { epoch } = parseJobData('epoch-seal', row.data);
 */
export function parseJobData<Q extends QueueName>(queue: Q, data: unknown): JobData<Q> {
  const parsed = jobContracts[queue].data.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
    throw new InvalidJobPayloadError(`invalid payload for ${queue}: ${problems.join('; ')}`);
  }
  return parsed.data as JobData<Q>;
}
