import { InvalidArgumentError } from '@attention-oracle/core';
import type { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { resolveClaimAccounts } from './claim-accounts.js';
import { claimInstruction, encodeClaimV4Data, encodeClaimV5Data } from './claim-internal.js';
import type { ProgramConfig } from './program-config.js';

/** The amounts of a leaf: a V4 cumulative total, or the V5 pair whose sum is the cumulative total. */
export type ClaimAmounts =
  | { readonly cumulativeTotal: bigint; readonly baseYield?: never; readonly attentionBonus?: never }
  | { readonly baseYield: bigint; readonly attentionBonus: bigint; readonly cumulativeTotal?: never };

/** A claim of either leaf version, self-signed or sponsored. */
export type ClaimInput = {
  /** The wallet in the leaf. */
  readonly claimer: PublicKey;
  /** Set (and not the claimer) for the sponsored form: the payer signs and pays fees and rent. */
  readonly payer?: PublicKey | undefined;
  readonly rootSeq: bigint;
  /** Siblings from leaf to root, at most 32. */
  readonly proof: readonly Uint8Array[];
} & ClaimAmounts;

/**
 * Whether `input` is sponsored: a payer other than the claimer.
 *
 * @example isSponsoredClaim({ claimer: wallet, payer: relayer }) // true
 */
export function isSponsoredClaim(input: Pick<ClaimInput, 'claimer' | 'payer'>): boolean {
  return input.payer !== undefined && !input.payer.equals(input.claimer);
}

/**
 * The claim instruction for `input`: `claim_global` / `claim_global_sponsored` for a V4 leaf (`cumulativeTotal`),
 * `claim_global_v2` / `claim_global_sponsored_v2` for a V5 leaf (`baseYield`, `attentionBonus`).
 *
 * @example
 * const ix = getClaimInstruction({ claimer, payer: relayer, rootSeq, baseYield: 0n, attentionBonus, proof }, { mint });
 */
export function getClaimInstruction(input: ClaimInput, config?: ProgramConfig): TransactionInstruction {
  const sponsored = isSponsoredClaim(input);
  const hasV4 = input.cumulativeTotal !== undefined;
  const hasV5 = input.baseYield !== undefined || input.attentionBonus !== undefined;
  if (hasV4 === hasV5) {
    throw new InvalidArgumentError(
      'give either cumulativeTotal (V4 leaf) or baseYield and attentionBonus (V5 leaf), exactly one of the two',
    );
  }
  let data: Uint8Array;
  if (input.cumulativeTotal !== undefined) {
    const name = sponsored ? 'claim_global_sponsored' : 'claim_global';
    data = encodeClaimV4Data(name, input.rootSeq, input.cumulativeTotal, input.proof);
  } else {
    if (input.baseYield === undefined || input.attentionBonus === undefined) {
      throw new InvalidArgumentError('a V5 claim needs both baseYield and attentionBonus');
    }
    const name = sponsored ? 'claim_global_sponsored_v2' : 'claim_global_v2';
    data = encodeClaimV5Data(name, input.rootSeq, input.baseYield, input.attentionBonus, input.proof);
  }
  const accounts = resolveClaimAccounts({ claimer: input.claimer, payer: sponsored ? input.payer : undefined }, config);
  return claimInstruction(accounts, sponsored, data);
}
