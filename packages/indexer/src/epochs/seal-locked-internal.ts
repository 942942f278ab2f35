// The seal proper, inside the caller's transaction, with the epoch's row locked and found open.
import { toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { aggregateLocked } from './aggregate-internal.js';
import { writeAllocations } from './allocations-writer-internal.js';
import { sealInputHash } from './input-hash.js';
import type { Query } from './query-internal.js';
import { readSealInputs } from './seal-inputs-internal.js';
import { allocate, planSeal, type SealPolicy } from './seal-policy.js';
import type { SealedEpoch } from './seal-types.js';

/** What one seal needs besides the epoch. */
export interface SealWork {
  readonly epochSeconds: number;
  readonly policy: SealPolicy;
  readonly nowMs: number;
  readonly actor: string;
  /** 'chat' re-aggregates the events first; 'backfill' seals imported rows as they are. */
  readonly source: 'chat' | 'backfill';
  readonly dead: string[];
}

/**
 * Re-aggregates (chat epochs), reads the inputs, runs the policy, writes the allocations (and adds them to the
 * leaderboard totals), the counts and the input hash, marks the epoch sealed and audits it. Everything happens in the
 * caller's transaction: a failure leaves the epoch open and unchanged.
 */
export async function sealLocked(query: Query, epoch: number, work: SealWork): Promise<SealedEpoch> {
  const plan = planSeal(work.policy, epoch, work.epochSeconds);
  if (plan.fromEpoch < epoch) {
    const [open] = await query<{ epoch: string }>(sql`
      select epoch::text as epoch from epochs where epoch >= ${plan.fromEpoch}::bigint and epoch < ${epoch}::bigint
        and status = 'open' order by epoch limit 1`);
    if (open !== undefined) {
      throw new Error(`epoch ${epoch} closes a ${plan.policyId} window whose epoch ${open.epoch} is still open`);
    }
  }
  const eventCount =
    work.source === 'chat'
      ? (await aggregateLocked(query, epoch, work.epochSeconds)).events
      : await countEvents(query, epoch);
  const inputs = await readSealInputs(query, plan.fromEpoch, epoch);
  const exclusions = { suppressed: inputs.suppressed, bots: inputs.bots };
  const result = plan.pays
    ? allocate(work.policy, inputs.rows, exclusions)
    : { paramsHash: plan.paramsHash, allocations: [], total: 0n, scaledByBudget: false };
  if (result.paramsHash !== plan.paramsHash) throw new Error(`${plan.policyId}: params hash changed while sealing`);

  await query(sql`delete from allocations where epoch = ${epoch}::bigint`);
  await writeAllocations(query, epoch, result.allocations);
  const inputHash = toHex(
    await sealInputHash({
      epoch,
      lengthSeconds: work.epochSeconds,
      eventCount,
      policyId: plan.policyId,
      paramsHash: plan.paramsHash,
      enabledChannels: inputs.enabledChannels,
      suppressed: inputs.suppressed,
      bots: inputs.bots,
      rows: inputs.rows,
    }),
  );
  const excluded = new Set([...inputs.suppressed, ...inputs.bots]);
  const participants = new Set<string>();
  for (const row of inputs.rows) if (!excluded.has(row.viewer)) participants.add(row.viewer);

  const sealed: SealedEpoch = {
    sealed: true,
    alreadySealed: false,
    epoch,
    policyId: plan.policyId,
    paramsHash: plan.paramsHash,
    inputHash,
    eventCount,
    participantCount: participants.size,
    allocationCount: result.allocations.length,
    total: result.total,
    scaledByBudget: result.scaledByBudget,
    dead: work.dead,
  };
  const updated = await query(sql`
    update epochs set status = 'sealed', dirty = false, source = ${work.source}, policy_id = ${sealed.policyId},
      params_hash = ${sealed.paramsHash}, input_hash = decode(${inputHash}, 'hex'),
      event_count = ${sealed.eventCount}::bigint, participant_count = ${sealed.participantCount}::int,
      allocation_count = ${sealed.allocationCount}::int, total = ${sealed.total.toString()}::numeric,
      scaled_by_budget = ${sealed.scaledByBudget}, sealed_at = to_timestamp(${work.nowMs}::float8 / 1000)
    where epoch = ${epoch}::bigint and status = 'open' returning epoch`);
  if (updated.length !== 1) throw new Error(`epoch ${epoch} was not open when its seal was written`);
  const details = { ...sealed, total: sealed.total.toString(), sealed: undefined, alreadySealed: undefined };
  await query(sql`insert into audit_log (actor, action, subject, details)
    values (${work.actor}, 'epoch.sealed', ${String(epoch)}, ${JSON.stringify(details)}::jsonb)`);
  return sealed;
}

// Imported epochs have no chat events (the import refuses epochs with any), but the count is recorded honestly.
async function countEvents(query: Query, epoch: number): Promise<number> {
  const [row] = await query<{ n: number }>(
    sql`select count(*)::float8 as n from chat_events where epoch = ${epoch}::bigint`,
  );
  return row?.n ?? 0;
}
