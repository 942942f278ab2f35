import type { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { resolveClaimAccounts } from './claim-accounts.js';
import { claimInstruction, encodeClaimV5Data } from './claim-internal.js';
import type { ProgramConfig } from './program-config.js';

/** A claim against a V5 leaf `(mint, root_seq, wallet, base_yield, attention_bonus)`. */
export interface ClaimGlobalV2Input {
  /** The wallet in the leaf; signs and pays in the self-signed form. */
  readonly claimer: PublicKey;
  readonly rootSeq: bigint;
  /** Imported per root from an external source (zero when there is none). */
  readonly baseYield: bigint;
  /** What this system computes; the program's cumulative total is baseYield + attentionBonus. */
  readonly attentionBonus: bigint;
  /** Siblings from leaf to root, at most 32. */
  readonly proof: readonly Uint8Array[];
}

/** A V5 claim paid for by someone other than the claimer. */
export interface ClaimGlobalSponsoredV2Input extends ClaimGlobalV2Input {
  /** Signs, pays fees and rent for the claim state and the claimer's token account. */
  readonly payer: PublicKey;
}

/**
 * `claim_global_v2(root_seq u64, base_yield u64, attention_bonus u64, proof Vec<[u8;32]>)`, signed by the claimer.
 * Accounts as `claim_global`.
 *
 * @example
 * const ix = getClaimGlobalV2Instruction({ claimer, rootSeq: 7n, baseYield: 0n, attentionBonus: 5n * TOKEN, proof });
 */
export function getClaimGlobalV2Instruction(input: ClaimGlobalV2Input, config?: ProgramConfig): TransactionInstruction {
  const data = encodeClaimV5Data('claim_global_v2', input.rootSeq, input.baseYield, input.attentionBonus, input.proof);
  const accounts = resolveClaimAccounts({ claimer: input.claimer }, config);
  return claimInstruction(accounts, false, data);
}

/**
 * `claim_global_sponsored_v2`: the V5 arguments; `payer` signs and pays, the claimer need not sign.
 * Accounts as `claim_global_sponsored`.
 *
 * @example
 * const ix = getClaimGlobalSponsoredV2Instruction({ payer: relayer, claimer, rootSeq, baseYield, attentionBonus, proof });
 */
export function getClaimGlobalSponsoredV2Instruction(
  input: ClaimGlobalSponsoredV2Input,
  config?: ProgramConfig,
): TransactionInstruction {
  const { rootSeq, baseYield, attentionBonus, proof } = input;
  const data = encodeClaimV5Data('claim_global_sponsored_v2', rootSeq, baseYield, attentionBonus, proof);
  const accounts = resolveClaimAccounts({ claimer: input.claimer, payer: input.payer }, config);
  return claimInstruction(accounts, true, data);
}
