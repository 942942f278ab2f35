import type { PublicKey } from '@solana/web3.js';
import { requirePublicKey } from './bytes-internal.js';
import { findAssociatedTokenAddress, findClaimStateGlobalPda } from './pdas.js';
import { type ProgramConfig, resolveProgramConfig } from './program-config.js';

/** The program and every account a claim instruction names, derived from the claimer and the config. */
export interface ClaimAccounts {
  readonly programId: PublicKey;
  /** Signs, pays fees and rent: the claimer itself unless the claim is sponsored. */
  readonly payer: PublicKey;
  /** The wallet in the leaf, who receives the tokens. */
  readonly claimer: PublicKey;
  readonly protocolState: PublicKey;
  readonly globalRootConfig: PublicKey;
  /** ClaimStateGlobal PDA of (mint, claimer); created on the first claim. */
  readonly claimState: PublicKey;
  readonly mint: PublicKey;
  readonly treasury: PublicKey;
  /** The claimer's Token-2022 associated token account; created if needed. */
  readonly claimerAta: PublicKey;
  readonly tokenProgram: PublicKey;
  readonly associatedTokenProgram: PublicKey;
  readonly systemProgram: PublicKey;
}

/** Who claims, and who pays when someone else does. */
export interface ClaimParties {
  readonly claimer: PublicKey;
  /** Omitted or equal to `claimer`: a self-signed claim. */
  readonly payer?: PublicKey | undefined;
}

/**
 * Derives the accounts of a claim: the claimer's ClaimStateGlobal PDA and Token-2022 ATA, plus the config's
 * program-wide accounts.
 *
 * @example
 * const { claimState, claimerAta } = resolveClaimAccounts({ claimer: wallet }, { mint });
 */
export function resolveClaimAccounts(parties: ClaimParties, config?: ProgramConfig): ClaimAccounts {
  const claimer = requirePublicKey(parties.claimer, 'claimer');
  const payer = parties.payer === undefined ? claimer : requirePublicKey(parties.payer, 'payer');
  const c = resolveProgramConfig(config);
  return {
    programId: c.programId,
    payer,
    claimer,
    protocolState: c.protocolState,
    globalRootConfig: c.globalRootConfig,
    claimState: findClaimStateGlobalPda(claimer, c).address,
    mint: c.mint,
    treasury: c.treasury,
    claimerAta: findAssociatedTokenAddress({
      owner: claimer,
      mint: c.mint,
      tokenProgram: c.tokenProgram,
      associatedTokenProgram: c.associatedTokenProgram,
    }),
    tokenProgram: c.tokenProgram,
    associatedTokenProgram: c.associatedTokenProgram,
    systemProgram: c.systemProgram,
  };
}
