import type { PublicKey } from '@solana/web3.js';
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  ATTENTION_ORACLE_MINT,
  ATTENTION_ORACLE_PROGRAM_ID,
  SYSTEM_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
} from './addresses.js';
import { findDefaultTreasuryAddress, findGlobalRootConfigPda, findProtocolStatePda } from './pdas.js';

/**
 * Which deployment to talk to. Every field is optional and falls back to mainnet: the program id, the current mint,
 * the treasury derived from them (the Token-2022 ATA of ProtocolState), and the standard token/system programs.
 */
export interface ProgramConfig {
  /** The Attention Oracle program. Default {@link ATTENTION_ORACLE_PROGRAM_ID}. */
  readonly programId?: PublicKey;
  /** The reward mint. Default {@link ATTENTION_ORACLE_MINT}. */
  readonly mint?: PublicKey;
  /**
   * The token account claims are paid from. Default: the Token-2022 ATA of the ProtocolState PDA for `mint`. Which
   * account the deployed binary requires is not settled from public sources (see `LEGACY_TREASURY_ADDRESS`); a wrong
   * one fails with a `ProgramError` naming `treasury_ata`.
   */
  readonly treasury?: PublicKey;
  /** Default {@link TOKEN_2022_PROGRAM_ID}; the program rejects any other (InvalidTokenProgram). */
  readonly tokenProgram?: PublicKey;
  /** Default {@link ASSOCIATED_TOKEN_PROGRAM_ID}. */
  readonly associatedTokenProgram?: PublicKey;
  /** Default {@link SYSTEM_PROGRAM_ID}. */
  readonly systemProgram?: PublicKey;
}

/** A {@link ProgramConfig} with every default filled in, plus the two singleton PDAs every instruction uses. */
export interface ResolvedProgramConfig {
  readonly programId: PublicKey;
  readonly mint: PublicKey;
  readonly treasury: PublicKey;
  readonly tokenProgram: PublicKey;
  readonly associatedTokenProgram: PublicKey;
  readonly systemProgram: PublicKey;
  readonly protocolState: PublicKey;
  readonly globalRootConfig: PublicKey;
}

/**
 * Fills in the defaults of `config` and derives the ProtocolState and GlobalRootConfig PDAs.
 *
 * @example
 * const { treasury, globalRootConfig } = resolveProgramConfig({ mint });
 */
export function resolveProgramConfig(config: ProgramConfig = {}): ResolvedProgramConfig {
  const programId = config.programId ?? ATTENTION_ORACLE_PROGRAM_ID;
  const mint = config.mint ?? ATTENTION_ORACLE_MINT;
  const tokenProgram = config.tokenProgram ?? TOKEN_2022_PROGRAM_ID;
  const associatedTokenProgram = config.associatedTokenProgram ?? ASSOCIATED_TOKEN_PROGRAM_ID;
  const base = { programId, mint, tokenProgram, associatedTokenProgram };
  return {
    ...base,
    treasury: config.treasury ?? findDefaultTreasuryAddress(base),
    systemProgram: config.systemProgram ?? SYSTEM_PROGRAM_ID,
    protocolState: findProtocolStatePda(base).address,
    globalRootConfig: findGlobalRootConfigPda(base).address,
  };
}
