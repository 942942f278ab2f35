import type { PublicKey } from '@solana/web3.js';
import { TransactionInstruction } from '@solana/web3.js';
import { requirePublicKey } from './bytes-internal.js';
import { INSTRUCTION_DISCRIMINATORS } from './discriminators.js';
import { account, instructionData } from './instruction-internal.js';
import { type ProgramConfig, resolveProgramConfig } from './program-config.js';

/** The roles a new ProtocolState records; the signer becomes the admin. */
export interface InitializeProtocolStateInput {
  /** Signs, pays rent and becomes the protocol admin. */
  readonly admin: PublicKey;
  /** May publish global roots (as may the admin). */
  readonly publisher: PublicKey;
  /** The token account claims are paid from; default: the Token-2022 ATA of ProtocolState for the mint. */
  readonly treasury?: PublicKey;
  readonly oracleAuthority: PublicKey;
}

/**
 * `initialize_protocol_state(publisher, treasury, oracle_authority)`: creates the ProtocolState PDA for
 * `config.mint`. This instruction's layout is the local program's (program-interface.md does not pin it):
 * accounts admin (signer, writable), protocol_state (writable, created), mint, system_program; args three 32-byte keys.
 *
 * @example
 * const ix = getInitializeProtocolStateInstruction({ admin, publisher, oracleAuthority: publisher }, { programId, mint });
 */
export function getInitializeProtocolStateInstruction(
  input: InitializeProtocolStateInput,
  config?: ProgramConfig,
): TransactionInstruction {
  const c = resolveProgramConfig(config);
  const treasury = input.treasury ?? c.treasury;
  const data = new Uint8Array(8 + 96);
  data.set(INSTRUCTION_DISCRIMINATORS.initialize_protocol_state, 0);
  data.set(requirePublicKey(input.publisher, 'publisher').toBytes(), 8);
  data.set(requirePublicKey(treasury, 'treasury').toBytes(), 40);
  data.set(requirePublicKey(input.oracleAuthority, 'oracleAuthority').toBytes(), 72);
  return new TransactionInstruction({
    programId: c.programId,
    keys: [
      account(requirePublicKey(input.admin, 'admin'), { signer: true, writable: true }),
      account(c.protocolState, { writable: true }),
      account(c.mint),
      account(c.systemProgram),
    ],
    data: instructionData(data),
  });
}
