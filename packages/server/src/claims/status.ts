// claims.status: where a claim is, by its signature (merkle or direct) or its direct claim id, with the program's
// error name when it failed and the amount when known.
import { sql } from '@attention-oracle/db';
import { type ClaimRecord, readClaim } from '@attention-oracle/indexer';
import { parseProgramEvents } from '@attention-oracle/sdk';
import { type AmountOutput, grossNet } from '../amounts.js';
import type { ServerDeps } from '../context.js';
import { fail, ok, type Result } from '../errors.js';
import { directAmount } from './direct.js';
import { type ClaimError, type ClaimState, claimError } from './outcome.js';

/** A claim's status. */
export interface ClaimStatusAnswer {
  kind: 'merkle' | 'direct';
  status: ClaimState;
  signature: string | null;
  /** Direct claims only. */
  claimId: number | null;
  /** The root the claim was paid against (merkle, once landed). */
  rootSeq: string | null;
  /** The slot it landed in. */
  slot: string | null;
  /** Gross (the treasury sent) and net (the wallet received), when known. */
  amount: AmountOutput | null;
  error: ClaimError | null;
}

/** Which claim: a transaction signature, or a direct claim's id. */
export type ClaimRef = { signature: string; claimId?: undefined } | { claimId: number; signature?: undefined };

const STATE = { processed: 'pending', confirmed: 'confirmed', finalized: 'finalized' } as const;

/**
 * The status of a claim by signature or direct claim id.
 *
 * @example const answer = unwrap(await claimStatus(ctx, { signature: '5h...' })); console.log(answer.status);
 */
export async function claimStatus(deps: ServerDeps, ref: ClaimRef): Promise<Result<ClaimStatusAnswer>> {
  const chain = deps.chain;
  if (chain === null) return fail('PRECONDITION_FAILED', 'no chain configured: claims need one');
  if (ref.claimId !== undefined || chain.settlement === 'direct') {
    let record: ClaimRecord | null;
    if (ref.claimId !== undefined) record = await readClaim(deps.db.query, ref.claimId);
    else {
      const [row] = await deps.db.query<{ id: number }>(sql`select id::float8 as id from claims
        where signature = ${ref.signature} order by id desc limit 1`);
      record = row === undefined ? null : await readClaim(deps.db.query, row.id);
    }
    if (record === null) {
      return fail(
        'NOT_FOUND',
        ref.claimId !== undefined ? `no direct claim ${ref.claimId}` : 'no direct claim with that signature',
      );
    }
    return ok(await directStatus(deps, record));
  }
  const connection = chain.client.connection();
  const { value } = await connection.getSignatureStatuses([ref.signature], { searchTransactionHistory: true });
  const seen = value[0] ?? null;
  const base = { kind: 'merkle' as const, signature: ref.signature, claimId: null };
  if (seen === null) {
    return ok({ ...base, status: 'not-found', rootSeq: null, slot: null, amount: null, error: null });
  }
  const tx = await connection.getTransaction(ref.signature, {
    commitment: 'confirmed',
    maxSupportedTransactionVersion: 0,
  });
  const logs = tx?.meta?.logMessages ?? [];
  const paid = parseProgramEvents(logs, { programId: chain.programId }).find((e) => e.name === 'GlobalRewardsClaimed');
  const failed = seen.err !== null;
  return ok({
    ...base,
    status: failed ? 'failed' : STATE[seen.confirmationStatus ?? 'processed'],
    rootSeq: paid?.name === 'GlobalRewardsClaimed' ? paid.data.rootSeq.toString() : null,
    slot: String(seen.slot),
    amount: paid?.name === 'GlobalRewardsClaimed' ? grossNet(paid.data.amount, deps.feeFor) : null,
    error: failed ? claimError(seen.err, chain.programId, logs) : null,
  });
}

async function directStatus(deps: ServerDeps, record: ClaimRecord): Promise<ClaimStatusAnswer> {
  const base = {
    kind: 'direct' as const,
    signature: record.signature,
    claimId: record.id,
    rootSeq: null,
    slot: record.slot === null ? null : String(record.slot),
    amount: directAmount(record.amount, record.fee, deps.feeFor),
  };
  switch (record.status) {
    case 'reserved':
    case 'pending':
      return { ...base, status: 'pending', error: null };
    case 'failed':
      return {
        ...base,
        status: 'failed',
        error: { name: 'TransferFailed', message: `the transfer failed: ${record.error}` },
      };
    case 'voided':
      return {
        ...base,
        status: 'failed',
        error: { name: 'Voided', message: `the claim never landed and was voided: ${record.error ?? 'expired'}` },
      };
    case 'settled': {
      let status: ClaimState = 'confirmed';
      if (record.signature !== null && deps.chain !== null) {
        const { value } = await deps.chain.client
          .connection()
          .getSignatureStatuses([record.signature], { searchTransactionHistory: true });
        if (value[0]?.confirmationStatus === 'finalized') status = 'finalized';
      }
      return { ...base, status, error: null };
    }
  }
}
