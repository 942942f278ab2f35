// The claim transaction of a target with the SDK's builder: legacy when it fits, else v0 with the lookup table.
import { buildClaimTransaction, type ClaimTransaction, TransactionTooLargeError } from '@attention-oracle/sdk';
import type { PublicKey } from '@solana/web3.js';
import type { ServerDeps } from '../context.js';
import { fail, ok, type Result } from '../errors.js';
import { claimLookupTable } from './lookup-table.js';
import type { ClaimTarget } from './target.js';

/** A recent blockhash and the block height it is valid until. */
export interface RecentBlockhash {
  readonly blockhash: string;
  readonly lastValidBlockHeight: number;
}

/** An unsigned claim transaction and the lookup table it uses (null for legacy). */
export type BuiltClaim = ClaimTransaction & { readonly lookupTable: PublicKey | null };

/**
 * The unsigned claim of `target` paid by `payer` (the wallet itself, or the sponsor: then `claim_global_sponsored`).
 * Fails when the proof is too deep for a legacy transaction and no lookup table is available.
 *
 * @example const built = await buildClaim(ctx, target, target.wallet, await connection.getLatestBlockhash());
 */
export async function buildClaim(
  deps: ServerDeps,
  target: ClaimTarget,
  payer: PublicKey,
  recent: RecentBlockhash,
): Promise<Result<BuiltClaim>> {
  const { entry, proof } = target.leaf;
  const amounts =
    entry.baseYield !== undefined && entry.attentionBonus !== undefined
      ? { baseYield: entry.baseYield, attentionBonus: entry.attentionBonus }
      : { cumulativeTotal: entry.cumulativeTotal };
  const input = {
    claimer: target.wallet,
    payer: payer.equals(target.wallet) ? undefined : payer,
    rootSeq: target.root.record.seq,
    proof,
    ...amounts,
    recentBlockhash: recent.blockhash,
    lastValidBlockHeight: recent.lastValidBlockHeight,
  };
  try {
    return ok({ ...buildClaimTransaction(input, target.program), lookupTable: null });
  } catch (error) {
    if (!(error instanceof TransactionTooLargeError)) throw error;
  }
  const table = await claimLookupTable(deps, target.chain, target.program);
  if (table === null) {
    return fail(
      'PRECONDITION_FAILED',
      `the proof (${proof.length} siblings) is too deep for a legacy transaction and there is no lookup table yet; ` +
        'a sponsor key (SPONSOR_KEYPAIR_PATH) lets the server create one',
    );
  }
  try {
    return ok({ ...buildClaimTransaction({ ...input, lookupTable: table }, target.program), lookupTable: table.key });
  } catch (error) {
    if (!(error instanceof TransactionTooLargeError)) throw error;
    return fail('PRECONDITION_FAILED', `the claim does not fit one transaction: ${error.message}`);
  }
}
