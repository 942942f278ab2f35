import type { PublicKey } from '@solana/web3.js';
import { TransactionInstruction } from '@solana/web3.js';
import { ByteWriter, requirePublicKey } from './bytes-internal.js';
import { INSTRUCTION_DISCRIMINATORS } from './discriminators.js';
import { account, instructionData } from './instruction-internal.js';
import { type ProgramConfig, resolveProgramConfig } from './program-config.js';

/** A root to publish. */
export interface PublishGlobalRootInput {
  /** Signs and pays; must be the protocol admin or publisher (the publisher is refused while paused). */
  readonly payer: PublicKey;
  /** Must be exactly the chain's latest_root_seq + 1 (else InvalidRootSeq): read it from chain, never count locally. */
  readonly rootSeq: bigint;
  readonly root: Uint8Array;
  /** keccak256 of the published dataset file; stored, not checked. */
  readonly datasetHash: Uint8Array;
}

/**
 * Bytes of `publish_global_root` instruction data: discriminator, u64, 32, 32.
 *
 * @example getPublishGlobalRootInstruction(input).data.length === PUBLISH_GLOBAL_ROOT_DATA_SIZE // true
 */
export const PUBLISH_GLOBAL_ROOT_DATA_SIZE = 80;

/**
 * `publish_global_root(root_seq u64, root [32], dataset_hash [32])`.
 * Accounts: payer (signer, writable), protocol_state, global_root_config (writable).
 *
 * @example
 * const ix = getPublishGlobalRootInstruction({ payer, rootSeq: latest + 1n, root: tree.root, datasetHash }, { mint });
 */
export function getPublishGlobalRootInstruction(
  input: PublishGlobalRootInput,
  config?: ProgramConfig,
): TransactionInstruction {
  const c = resolveProgramConfig(config);
  const data = new ByteWriter(PUBLISH_GLOBAL_ROOT_DATA_SIZE)
    .raw(INSTRUCTION_DISCRIMINATORS.publish_global_root)
    .u64(input.rootSeq, 'rootSeq')
    .bytes32(input.root, 'root')
    .bytes32(input.datasetHash, 'datasetHash').bytes;
  return new TransactionInstruction({
    programId: c.programId,
    keys: [
      account(requirePublicKey(input.payer, 'payer'), { signer: true, writable: true }),
      account(c.protocolState),
      account(c.globalRootConfig, { writable: true }),
    ],
    data: instructionData(data),
  });
}
