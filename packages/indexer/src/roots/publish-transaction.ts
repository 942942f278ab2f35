// The publish_global_root transaction: one instruction, paid and signed by the publisher.
import { getPublishGlobalRootInstruction, type RpcClient } from '@attention-oracle/sdk';
import { type PublicKey, Transaction } from '@solana/web3.js';
import { PUBLISH_COMMITMENT } from './chain-state.js';

/** A root to publish and who pays. */
export interface PublishTransactionInput {
  readonly programId: PublicKey;
  readonly mint: PublicKey;
  /** The publisher (or admin): fee payer and only signer. */
  readonly payer: PublicKey;
  readonly seq: bigint;
  readonly root: Uint8Array;
  readonly datasetHash: Uint8Array;
}

/**
 * An unsigned publish_global_root transaction with a fresh blockhash, and the block height it is valid until.
 *
 * @example
 * const { transaction, lastValidBlockHeight } = await publishTransaction(client, { programId, mint, payer, seq, root, datasetHash });
 * await publisher.signTransaction(transaction);
 */
export async function publishTransaction(
  client: Pick<RpcClient, 'call'>,
  input: PublishTransactionInput,
): Promise<{ transaction: Transaction; lastValidBlockHeight: number }> {
  const { value } = await client.call<{ value: { blockhash: string; lastValidBlockHeight: number } }>(
    'getLatestBlockhash',
    [{ commitment: PUBLISH_COMMITMENT }],
  );
  const transaction = new Transaction({
    feePayer: input.payer,
    blockhash: value.blockhash,
    lastValidBlockHeight: value.lastValidBlockHeight,
  }).add(
    getPublishGlobalRootInstruction(
      { payer: input.payer, rootSeq: input.seq, root: input.root, datasetHash: input.datasetHash },
      { programId: input.programId, mint: input.mint },
    ),
  );
  return { transaction, lastValidBlockHeight: value.lastValidBlockHeight };
}

/**
 * Wire bytes of a transaction that still lacks signatures (its signature slots are zero), for an external signer.
 *
 * @example const unsigned = unsignedWireBytes(transaction); // stored in roots.unsigned_tx
 */
export function unsignedWireBytes(transaction: Transaction): Uint8Array {
  return Uint8Array.from(transaction.serialize({ requireAllSignatures: false, verifySignatures: false }));
}
