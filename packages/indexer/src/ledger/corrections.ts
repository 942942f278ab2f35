// Corrections: audited changes to a viewer's credit. A positive one is credited now; a negative one is an offset that
// is withheld from the viewer's future credit and never lowers a total.
import { base58Encode, InvalidArgumentError, U64_MAX } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { audit } from '../audit.js';
import { userOfViewer } from './accounts.js';
import { activeWallet } from './bindings.js';
import { parseViewer, requireActor } from './inputs-internal.js';
import { lockLedger } from './ledger-lock.js';
import { addToTotal } from './wallet-credit-internal.js';

/** Input of {@link addCorrection}. */
export interface CorrectionInput {
  /** A decimal Twitch user id, or `legacy:<login hash hex>`. */
  readonly viewer: string;
  /** Base units: positive is credited now, negative is withheld from future credit. Never zero. */
  readonly amount: bigint;
  /** Why, for the audit: 1-500 characters. */
  readonly reason: string;
  readonly actor: string;
}

/** What {@link addCorrection} recorded. */
export type CorrectionResult =
  /** Credited now, to `wallet` (null: waiting for the viewer's first binding). */
  | { readonly kind: 'credit'; readonly correctionId: number; readonly wallet: Uint8Array | null }
  /** Recorded as an offset against future credit. */
  | { readonly kind: 'offset'; readonly correctionId: number };

/**
 * Records a correction in one transaction under the ledger lock. Positive: a corrections row (kind 'credit') and a
 * wallet_credits row (kind 'correction') credited like an epoch's credit: to the wallet the viewer has bound now, or
 * waiting. Its amount is not reduced by outstanding offsets. Negative: a corrections row (kind 'offset') whose
 * remaining |amount| is withheld from the viewer's next credit; nothing else changes and no total goes down.
 *
 * @example await addCorrection(db, { viewer: '123', amount: -500n, reason: 'double-counted raid (ticket 42)', actor: 'cli:alice' });
 */
export async function addCorrection(db: DatabaseHandle, input: CorrectionInput): Promise<CorrectionResult> {
  const { viewer } = parseViewer(input.viewer);
  const actor = requireActor(input.actor);
  const { amount, reason } = input;
  if (typeof amount !== 'bigint' || amount === 0n || amount > U64_MAX || -amount > U64_MAX) {
    throw new InvalidArgumentError(
      `correction amount must be a non-zero bigint within ±(2^64-1) base units, got ${String(amount)}`,
    );
  }
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 500) {
    throw new InvalidArgumentError('a correction needs a reason of 1-500 characters');
  }
  const size = amount < 0n ? -amount : amount;
  return db.transaction(async (query) => {
    await lockLedger(query);
    const kind = amount > 0n ? 'credit' : 'offset';
    const [row] = await query<{ id: string }>(sql`
      insert into corrections (viewer, kind, amount, remaining, reason, created_by)
      values (${viewer}, ${kind}, ${size.toString()}::numeric, ${kind === 'offset' ? size.toString() : '0'}::numeric,
        ${reason}, ${actor})
      returning id::text as id`);
    const correctionId = Number(row?.id);
    if (kind === 'offset') {
      await audit(query, actor, 'correction.offset', viewer, { correctionId, amount: size, reason });
      return { kind, correctionId };
    }
    const userId = await userOfViewer(query, viewer);
    const wallet = userId === null ? null : ((await activeWallet(query, userId))?.wallet ?? null);
    await query(sql`
      insert into wallet_credits (viewer, wallet, kind, correction_id, gross, "offset", amount, assigned_at)
      values (${viewer}, ${wallet}, 'correction', ${correctionId}::bigint, ${size.toString()}::numeric, 0,
        ${size.toString()}::numeric, ${wallet === null ? sql`null` : sql`now()`})`);
    if (wallet !== null) await addToTotal(query, wallet, size);
    await audit(query, actor, 'correction.credit', viewer, {
      correctionId,
      amount: size,
      reason,
      wallet: wallet === null ? null : base58Encode(wallet),
    });
    return { kind, correctionId, wallet };
  });
}
