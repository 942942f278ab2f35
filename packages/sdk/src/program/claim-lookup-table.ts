import type { PublicKey } from '@solana/web3.js';
import { COMPUTE_BUDGET_PROGRAM_ID } from './addresses.js';
import { type ProgramConfig, resolveProgramConfig } from './program-config.js';

/**
 * The fixed addresses of every claim, for an address lookup table that lets deep proofs fit a v0 transaction:
 * protocol state, global root config, mint, treasury, token program, ATA program, system program and the compute
 * budget program. (A v0 message cannot load an invoked program id from a table, so the compute budget entry only
 * helps other uses of the table; it is listed so one table serves every claim transaction shape.)
 *
 * @example
 * const [createIx, table] = AddressLookupTableProgram.createLookupTable({ authority, payer, recentSlot });
 * const extendIx = AddressLookupTableProgram.extendLookupTable({
 *   lookupTable: table, authority, payer, addresses: claimLookupTableAddresses({ mint }),
 * });
 */
export function claimLookupTableAddresses(config?: ProgramConfig): PublicKey[] {
  const c = resolveProgramConfig(config);
  return [
    c.protocolState,
    c.globalRootConfig,
    c.mint,
    c.treasury,
    c.tokenProgram,
    c.associatedTokenProgram,
    c.systemProgram,
    COMPUTE_BUDGET_PROGRAM_ID,
  ];
}
