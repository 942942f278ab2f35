// Sealing: an epoch's allocations become final once every live collector has flushed past its end plus grace.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { collectorReadiness } from './collector-readiness-internal.js';
import { lockEpoch } from './epoch-row-internal.js';
import { inTransaction, type Query, queryOf } from './query-internal.js';
import { sealLocked } from './seal-locked-internal.js';
import { planSeal } from './seal-policy.js';
import type { EpochNotReady, SealedEpoch, SealOptions, SealResult } from './seal-types.js';

/**
 * Seals one epoch when it is ready, in one transaction holding its row lock: re-aggregates its chat events, applies
 * the enabled channels, the suppression and bot lists and the policy, writes allocations, counts, the input hash and
 * an audit entry. Not ready (too early, a live collector behind, no live collector) returns `sealed: false` with the
 * reason and changes nothing but the audit of newly dead collectors. An epoch already sealed is returned as stored,
 * unchanged: sealing is idempotent. An epoch without an epochs row gets one once ready (an explicit seal of a quiet
 * hour seals it empty).
 *
 * @example await sealEpoch(db, epoch, { epochSeconds: 3600, graceSeconds: 120, deadAfterSeconds: 300,
 *   policy: { id: 'weighted-v1', params: { epochBudget: 10_000n * TOKEN } } })
 */
export async function sealEpoch(db: DatabaseHandle, epoch: number, options: SealOptions): Promise<SealResult> {
  const nowMs = options.now ?? Date.now();
  const actor = options.actor ?? 'indexer';
  planSeal(options.policy, epoch, options.epochSeconds); // invalid parameters fail before any database work
  return inTransaction(db, async (query) => {
    const locked = await lockEpoch(query, epoch, options.epochSeconds, null);
    if (locked?.status === 'sealed') return readSealed(query, epoch);
    const readiness = await collectorReadiness(query, epoch, { ...options, nowMs, actor });
    if (!readiness.ready) {
      const { reason, waitingFor, dead } = readiness;
      return { sealed: false, epoch, reason, waitingFor, dead } satisfies EpochNotReady;
    }
    // A quiet epoch sealed on request gets its row only now, so asking about a future epoch leaves no trace.
    if (locked === undefined && (await lockEpoch(query, epoch, options.epochSeconds))?.status === 'sealed') {
      return readSealed(query, epoch); // a concurrent seal created and sealed it first
    }
    return sealLocked(query, epoch, { ...options, nowMs, actor, source: 'chat', dead: readiness.dead });
  });
}

/** The outcome of {@link sealReadyEpochs}. */
export interface SealReadyResult {
  /** Epochs sealed by this call, oldest first. */
  readonly sealed: SealedEpoch[];
  /** The first due epoch that was not ready, where sealing stopped; later epochs wait behind it. */
  readonly waiting?: EpochNotReady;
}

/**
 * Seals every open epoch whose end plus grace has passed, oldest first, stopping at the first that is not ready, so
 * epochs missed during downtime seal in order. Only epochs with an epochs row are considered (a quiet hour has no
 * allocations to seal), except that under promo-v1 the last epoch of every window with an open epoch gets a row, so
 * that the window pays even when its last hour was quiet.
 *
 * @example const { sealed, waiting } = await sealReadyEpochs(db, options)
 */
export async function sealReadyEpochs(db: DatabaseHandle, options: SealOptions): Promise<SealReadyResult> {
  const nowMs = options.now ?? Date.now();
  const query = queryOf(db);
  if (options.policy.id === 'promo-v1') await addWindowClosers(query, options);
  const due = await query<{ epoch: string }>(sql`
    select epoch::text as epoch from epochs
    where status = 'open' and epoch + length_seconds + ${options.graceSeconds}::bigint <= ${Math.floor(nowMs / 1000)}::bigint
    order by epoch`);
  const sealed: SealedEpoch[] = [];
  for (const row of due) {
    const result = await sealEpoch(db, Number(row.epoch), { ...options, now: nowMs });
    if (!result.sealed) return { sealed, waiting: result };
    sealed.push(result);
  }
  return { sealed };
}

async function addWindowClosers(query: Query, options: SealOptions): Promise<void> {
  const open = await query<{ epoch: string }>(sql`select epoch::text as epoch from epochs where status = 'open'`);
  const closers = new Set(
    open.map((row) => planSeal(options.policy, Number(row.epoch), options.epochSeconds).windowLastEpoch),
  );
  for (const closer of closers) {
    await query(sql`insert into epochs (epoch, length_seconds) values (${closer}::bigint,
      ${options.epochSeconds}::int) on conflict (epoch) do nothing`);
  }
}

/** A sealed epoch as stored. */
async function readSealed(query: Query, epoch: number): Promise<SealedEpoch> {
  const [row] = await query<{
    policyId: string;
    paramsHash: string;
    inputHash: string;
    eventCount: number;
    participantCount: number;
    allocationCount: number;
    total: string;
    scaledByBudget: boolean;
  }>(sql`
    select policy_id as "policyId", params_hash as "paramsHash", encode(input_hash, 'hex') as "inputHash",
      event_count::float8 as "eventCount", participant_count as "participantCount",
      allocation_count as "allocationCount", total::text as "total", scaled_by_budget as "scaledByBudget"
    from epochs where epoch = ${epoch}::bigint and status = 'sealed'`);
  if (row === undefined) throw new Error(`epoch ${epoch} is not sealed`);
  return { sealed: true, alreadySealed: true, epoch, ...row, total: BigInt(row.total), dead: [] };
}
