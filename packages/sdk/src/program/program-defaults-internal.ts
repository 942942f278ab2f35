import type { PublicKey } from '@solana/web3.js';
import { ATTENTION_ORACLE_MINT, ATTENTION_ORACLE_PROGRAM_ID } from './addresses.js';

// The two fallbacks the PDA helpers need, kept apart from program-config.ts so pdas.ts does not import it at runtime.

/** `config.programId`, or the mainnet program. */
export function defaultProgramId(config: { readonly programId?: PublicKey | undefined }): PublicKey {
  return config.programId ?? ATTENTION_ORACLE_PROGRAM_ID;
}

/** `config.mint`, or the current mainnet mint. */
export function defaultMint(config: { readonly mint?: PublicKey | undefined }): PublicKey {
  return config.mint ?? ATTENTION_ORACLE_MINT;
}
