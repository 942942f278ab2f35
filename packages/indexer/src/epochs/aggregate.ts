// Participation counters of one open epoch, recomputed from its chat events.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { aggregateLocked } from './aggregate-internal.js';
import { lockEpoch } from './epoch-row-internal.js';
import { inTransaction, queryOf } from './query-internal.js';
import { SealedEpochError } from './sealed-epoch-error.js';

/** Options of {@link aggregateEpoch}. */
export interface AggregateOptions {
  /** Epoch length in seconds (3600 for hourly epochs). */
  readonly epochSeconds: number;
}

/** What one aggregation wrote. */
export interface AggregateResult {
  readonly epoch: number;
  /** Chat events the epoch holds. */
  readonly events: number;
  /** Participation rows (channel, viewer) written from them. */
  readonly participants: number;
}

/**
 * Recomputes the `source = 'chat'` participation of one open epoch from its chat events and clears its `dirty` flag,
 * in one transaction holding the epoch's row lock. Idempotent: the counters are a function of the events alone, so a
 * second run writes the same rows. A sealed epoch is never touched ({@link SealedEpochError}); a missing epochs row
 * is created (the collector creates it with the first event, so this only matters for direct calls).
 *
 * Counted messages are kind `message` minus those removed by a `clearmsg` (by id) or by a `clearchat` of their author
 * in that channel at or after they were sent; moderation counts in the epoch it happened in. Bits come from counted
 * messages; active minutes are their distinct minutes, capped at min(60, the epoch's minutes); a `submysterygift`
 * of N counts N gifted subs and each `subgift` one; a raid credits its viewers to the raider. Events without a user
 * count for nobody.
 *
 * @example await aggregateEpoch(db, 1_732_528_800, { epochSeconds: 3600 })
 */
export async function aggregateEpoch(
  db: DatabaseHandle,
  epoch: number,
  options: AggregateOptions,
): Promise<AggregateResult> {
  return inTransaction(db, async (query) => {
    const locked = await lockEpoch(query, epoch, options.epochSeconds);
    if (locked?.status === 'sealed') throw new SealedEpochError(epoch, 'aggregate its participation');
    return aggregateLocked(query, epoch, options.epochSeconds);
  });
}

/**
 * Aggregates every open epoch flagged dirty, oldest first, each in its own transaction.
 *
 * @example const done = await aggregateDirtyEpochs(db, { epochSeconds: 3600 })
 */
export async function aggregateDirtyEpochs(db: DatabaseHandle, options: AggregateOptions): Promise<AggregateResult[]> {
  const dirty = await queryOf(db)<{ epoch: string }>(sql`
    select epoch::text as epoch from epochs where status = 'open' and dirty order by epoch`);
  const results: AggregateResult[] = [];
  for (const { epoch } of dirty) results.push(await aggregateEpoch(db, Number(epoch), options));
  return results;
}
