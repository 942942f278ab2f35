import type { PublicKey } from '@solana/web3.js';
import { TransactionInstruction } from '@solana/web3.js';
import { requirePublicKey } from './bytes-internal.js';
import { INSTRUCTION_DISCRIMINATORS } from './discriminators.js';
import { account, instructionData } from './instruction-internal.js';
import { type ProgramConfig, resolveProgramConfig } from './program-config.js';

/** Who creates the mint's GlobalRootConfig. */
export interface InitializeGlobalRootInput {
  /** Signs and pays rent; must be the protocol admin or publisher (else Unauthorized). */
  readonly payer: PublicKey;
}

/**
 * `initialize_global_root`: creates the GlobalRootConfig PDA of `config.mint` (no arguments).
 * Accounts: payer (signer, writable), protocol_state, global_root_config (writable, created), system_program.
 *
 * @example
 * const ix = getInitializeGlobalRootInstruction({ payer: admin.publicKey }, { mint });
 */
export function getInitializeGlobalRootInstruction(
  input: InitializeGlobalRootInput,
  config?: ProgramConfig,
): TransactionInstruction {
  const c = resolveProgramConfig(config);
  return new TransactionInstruction({
    programId: c.programId,
    keys: [
      account(requirePublicKey(input.payer, 'payer'), { signer: true, writable: true }),
      account(c.protocolState),
      account(c.globalRootConfig, { writable: true }),
      account(c.systemProgram),
    ],
    data: instructionData(INSTRUCTION_DISCRIMINATORS.initialize_global_root.slice()),
  });
}
