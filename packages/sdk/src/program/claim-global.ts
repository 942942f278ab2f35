import type { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { resolveClaimAccounts } from './claim-accounts.js';
import { claimInstruction, encodeClaimV4Data } from './claim-internal.js';
import type { ProgramConfig } from './program-config.js';

/** A claim against a V4 leaf `(mint, root_seq, wallet, cumulative_total)`. */
export interface ClaimGlobalInput {
  /** The wallet in the leaf; signs and pays in the self-signed form. */
  readonly claimer: PublicKey;
  readonly rootSeq: bigint;
  /** Cumulative base units for this wallet in the root; the program pays what exceeds `claimed_total`. */
  readonly cumulativeTotal: bigint;
  /** Siblings from leaf to root, at most 32. */
  readonly proof: readonly Uint8Array[];
}

/** A V4 claim paid for by someone other than the claimer. */
export interface ClaimGlobalSponsoredInput extends ClaimGlobalInput {
  /** Signs, pays fees and rent for the claim state and the claimer's token account. */
  readonly payer: PublicKey;
}

/**
 * `claim_global(root_seq u64, cumulative_total u64, proof Vec<[u8;32]>)`, signed by the claimer. Derives the
 * claim state PDA and the claimer's ATA; program id, mint and treasury come from `config`.
 *
 * @example
 * const ix = getClaimGlobalInstruction({ claimer, rootSeq: 7n, cumulativeTotal: 1_500_000_000n, proof });
 */
export function getClaimGlobalInstruction(input: ClaimGlobalInput, config?: ProgramConfig): TransactionInstruction {
  const data = encodeClaimV4Data('claim_global', input.rootSeq, input.cumulativeTotal, input.proof);
  const accounts = resolveClaimAccounts({ claimer: input.claimer }, config);
  return claimInstruction(accounts, false, data);
}

/**
 * `claim_global_sponsored`: the same arguments as `claim_global`; `payer` signs and pays, the claimer need not sign.
 *
 * @example
 * const ix = getClaimGlobalSponsoredInstruction({ payer: relayer, claimer, rootSeq, cumulativeTotal, proof });
 */
export function getClaimGlobalSponsoredInstruction(
  input: ClaimGlobalSponsoredInput,
  config?: ProgramConfig,
): TransactionInstruction {
  const data = encodeClaimV4Data('claim_global_sponsored', input.rootSeq, input.cumulativeTotal, input.proof);
  const accounts = resolveClaimAccounts({ claimer: input.claimer, payer: input.payer }, config);
  return claimInstruction(accounts, true, data);
}
