import { PublicKey } from '@solana/web3.js';
import { ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID } from './addresses.js';
import type { ProgramConfig } from './program-config.js';
import { defaultMint, defaultProgramId } from './program-defaults-internal.js';

/** A program-derived address and the bump seed that took it off the curve. */
export interface ProgramDerivedAddress {
  readonly address: PublicKey;
  readonly bump: number;
}

const encoder = new TextEncoder();

function find(seeds: Uint8Array[], programId: PublicKey): ProgramDerivedAddress {
  const [address, bump] = PublicKey.findProgramAddressSync(seeds, programId);
  return { address, bump };
}

/**
 * The ProtocolState PDA, seeds `["protocol_state"]` (one per program, not per mint).
 *
 * @example findProtocolStatePda().address.toBase58() // 'vAbgvkjtVDYELfqh2xv1mbwz38WBvotTQ5hAkrPCXyP' (bump 254)
 */
export function findProtocolStatePda(config: Pick<ProgramConfig, 'programId'> = {}): ProgramDerivedAddress {
  return find([encoder.encode('protocol_state')], defaultProgramId(config));
}

/**
 * The GlobalRootConfig PDA of a mint, seeds `["global_root", mint]`.
 *
 * @example findGlobalRootConfigPda({ mint }).address
 */
export function findGlobalRootConfigPda(config: Pick<ProgramConfig, 'programId' | 'mint'> = {}): ProgramDerivedAddress {
  return find([encoder.encode('global_root'), defaultMint(config).toBytes()], defaultProgramId(config));
}

/**
 * A wallet's ClaimStateGlobal PDA, seeds `["claim_global", mint, wallet]`.
 *
 * @example findClaimStateGlobalPda(wallet, { mint }).address
 */
export function findClaimStateGlobalPda(
  wallet: PublicKey,
  config: Pick<ProgramConfig, 'programId' | 'mint'> = {},
): ProgramDerivedAddress {
  return find(
    [encoder.encode('claim_global'), defaultMint(config).toBytes(), wallet.toBytes()],
    defaultProgramId(config),
  );
}

/** The owner and mint of an associated token account, and the programs it is derived under. */
export interface AssociatedTokenAddressInput {
  readonly owner: PublicKey;
  readonly mint: PublicKey;
  /** Default Token-2022: the reward mint is a Token-2022 mint. */
  readonly tokenProgram?: PublicKey | undefined;
  readonly associatedTokenProgram?: PublicKey | undefined;
}

/**
 * The associated token account of `owner` for `mint`, seeds `[owner, token_program, mint]` under the ATA program.
 * Derived here rather than with @solana/spl-token so the SDK needs no token library at runtime; owners may be PDAs.
 *
 * @example findAssociatedTokenAddress({ owner: wallet, mint: ATTENTION_ORACLE_MINT })
 */
export function findAssociatedTokenAddress(input: AssociatedTokenAddressInput): PublicKey {
  const tokenProgram = input.tokenProgram ?? TOKEN_2022_PROGRAM_ID;
  const ataProgram = input.associatedTokenProgram ?? ASSOCIATED_TOKEN_PROGRAM_ID;
  return find([input.owner.toBytes(), tokenProgram.toBytes(), input.mint.toBytes()], ataProgram).address;
}

/**
 * The default treasury: the associated token account (Token-2022) of the ProtocolState PDA for the mint, as the
 * program's public source derives it. `config.treasury` is ignored here; `resolveProgramConfig` applies it.
 *
 * @example findDefaultTreasuryAddress().toBase58() // 'EJGUafHij46bZzM4eocjipDwguAo5jMhxQeMgafuNXsX'
 */
export function findDefaultTreasuryAddress(
  config: Pick<ProgramConfig, 'programId' | 'mint' | 'tokenProgram' | 'associatedTokenProgram'> = {},
): PublicKey {
  return findAssociatedTokenAddress({
    owner: findProtocolStatePda(config).address,
    mint: defaultMint(config),
    tokenProgram: config.tokenProgram,
    associatedTokenProgram: config.associatedTokenProgram,
  });
}
