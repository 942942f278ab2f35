// claim-reconcile: the durable verdict on claims a process left open. A pending claim is settled or failed when its
// signature landed, re-sent while its blockhash may still land, and voided only once the finalized block height has
// passed its last valid block height without it. A reserved claim was never sent (sending requires the 'pending'
// update, which requires 'reserved'), so one older than the timeout is voided.
import { InvalidArgumentError } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import type { RpcClient } from '@attention-oracle/sdk';
import { finishClaim } from './claim-rows.js';
import { isConfirmed, type SignatureStatus } from './signature-watcher.js';
import type { ReconcileResult, SettlementLog } from './types.js';

/** Options of {@link reconcileClaims}. */
export interface ReconcileOptions {
  /** A reserved claim older than this was abandoned before signing (default 120 s). */
  reservedTimeoutMs?: number;
  /** Who the audit log names (default 'claim-reconcile'). */
  actor?: string;
  log?: SettlementLog;
}

interface PendingRow {
  id: number;
  signature: string;
  last_valid_block_height: number;
  transaction: Uint8Array;
}

const PAGE = 256;

/**
 * One reconcile pass over every reserved and pending claim. Safe to run at any time and concurrently with claims and
 * other passes: every transition is guarded by the status it leaves.
 *
 * @example
 * const { settled, failed, voided, pending } = await reconcileClaims(db, client, { reservedTimeoutMs: 120_000 });
 */
export async function reconcileClaims(
  db: DatabaseHandle,
  client: Pick<RpcClient, 'call' | 'batch'>,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const actor = options.actor ?? 'claim-reconcile';
  const reservedTimeoutMs = options.reservedTimeoutMs ?? 120_000;
  if (!Number.isFinite(reservedTimeoutMs) || reservedTimeoutMs < 0) {
    throw new InvalidArgumentError(`reservedTimeoutMs must be a non-negative number, got ${reservedTimeoutMs}`);
  }
  const result: ReconcileResult = { settled: 0, failed: 0, voided: 0, pending: 0 };

  const abandoned = await db.query<{ id: number }>(sql`
    select id::float8 as id from claims
    where status = 'reserved' and created_at < now() - make_interval(secs => ${reservedTimeoutMs / 1000}::float8)
    order by id`);
  for (const { id } of abandoned) {
    const error = `reserved for over ${reservedTimeoutMs} ms and never sent`;
    if (await finishClaim(db.query, id, 'reserved', { status: 'voided', error }, actor)) result.voided++;
  }

  let after = 0;
  for (;;) {
    const page = await db.query<PendingRow>(sql`
      select id::float8 as id, signature, last_valid_block_height::float8 as last_valid_block_height, transaction
      from claims where status = 'pending' and id > ${after}::bigint order by id limit ${PAGE}`);
    if (page.length === 0) break;
    after = page[page.length - 1]?.id ?? after;
    await reconcilePage(db, client, page, actor, result, options.log);
    if (page.length < PAGE) break;
  }
  if (result.settled + result.failed + result.voided > 0 || result.pending > 0) {
    options.log?.('claims reconciled', { ...result });
  }
  return result;
}

async function reconcilePage(
  db: DatabaseHandle,
  client: Pick<RpcClient, 'call' | 'batch'>,
  page: PendingRow[],
  actor: string,
  result: ReconcileResult,
  log: SettlementLog | undefined,
): Promise<void> {
  // The finalized height first, then the statuses from a node that has seen it: a transaction that landed did so at
  // a height at most its last valid one, below the finalized height, so a node that has that block knows it.
  const finalized = await client.call<{ blockHeight: number; absoluteSlot: number }>('getEpochInfo', [
    { commitment: 'finalized' },
  ]);
  const statuses = await client.call<{ context: { slot: number }; value: (SignatureStatus | null)[] }>(
    'getSignatureStatuses',
    [page.map((claim) => claim.signature), { searchTransactionHistory: true }],
  );
  const nodeCaughtUp = statuses.context.slot >= finalized.absoluteSlot;
  const resend: PendingRow[] = [];
  for (const [i, claim] of page.entries()) {
    const status = statuses.value[i] ?? null;
    if (status && isConfirmed(status)) {
      const failed = status.err !== null && status.err !== undefined;
      const ending = failed
        ? { status: 'failed' as const, error: JSON.stringify(status.err), slot: status.slot }
        : { status: 'settled' as const, slot: status.slot };
      if (await finishClaim(db.query, claim.id, 'pending', ending, actor)) {
        if (failed) result.failed++;
        else result.settled++;
      }
    } else if (!status && nodeCaughtUp && finalized.blockHeight > claim.last_valid_block_height) {
      const error = `its blockhash expired (finalized block height ${finalized.blockHeight} > last valid ${claim.last_valid_block_height}) and it never landed`;
      if (await finishClaim(db.query, claim.id, 'pending', { status: 'voided', error }, actor)) result.voided++;
    } else {
      result.pending++;
      if (!status) resend.push(claim);
    }
  }
  if (resend.length === 0) return;
  const answers = await client.batch(
    resend.map((claim) => ({
      method: 'sendTransaction',
      params: [
        Buffer.from(claim.transaction).toString('base64'),
        { encoding: 'base64', skipPreflight: true, maxRetries: 0 },
      ],
    })),
  );
  const failures = answers.filter((answer) => !answer.ok).length;
  if (failures > 0) log?.('re-sending pending claims failed for some', { claims: resend.length, failures });
}
