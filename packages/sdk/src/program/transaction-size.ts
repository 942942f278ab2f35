import { InvalidArgumentError } from '@attention-oracle/core';
import { type Message, type MessageV0, Transaction, VersionedTransaction } from '@solana/web3.js';

/**
 * The most bytes a serialized transaction (signatures included) may take: 1280 - 40 (IPv6) - 8 (UDP).
 *
 * @example getTransactionSize(tx) <= MAX_TRANSACTION_SIZE
 */
export const MAX_TRANSACTION_SIZE = 1232;

/** Bytes of Solana's compact-u16 ("shortvec") length prefix. */
function shortVecSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
}

/**
 * Serialized size of a compiled message. Computed from its parts because web3.js serializes into a fixed
 * 1,232-byte buffer and throws on a message that does not fit, which is exactly the case we need to measure.
 *
 * @example messageSize(transaction.compileMessage()) // bytes without signatures
 */
export function messageSize(message: Message | MessageV0): number {
  const version: unknown = message.version;
  if (version !== 'legacy' && version !== 0) {
    throw new InvalidArgumentError(`cannot size a message of version ${String(version)}`);
  }
  const keys = message.staticAccountKeys.length;
  let size = (message.version === 0 ? 1 : 0) + 3 + shortVecSize(keys) + 32 * keys + 32;
  const instructions = message.compiledInstructions;
  size += shortVecSize(instructions.length);
  for (const ix of instructions) {
    const accounts = ix.accountKeyIndexes.length;
    size += 1 + shortVecSize(accounts) + accounts + shortVecSize(ix.data.length) + ix.data.length;
  }
  if (message.version === 0) {
    const lookups = message.addressTableLookups;
    size += shortVecSize(lookups.length);
    for (const l of lookups) {
      size += 32 + shortVecSize(l.writableIndexes.length) + l.writableIndexes.length;
      size += shortVecSize(l.readonlyIndexes.length) + l.readonlyIndexes.length;
    }
  }
  return size;
}

/**
 * Serialized size of a transaction once every required signer has signed, without signing it: one 64-byte
 * signature per required signer plus its count, and the message. A legacy transaction needs its fee payer and
 * recent blockhash set.
 *
 * @example
 * if (getTransactionSize(tx) > MAX_TRANSACTION_SIZE) useLookupTable();
 */
export function getTransactionSize(transaction: Transaction | VersionedTransaction): number {
  let message: Message | MessageV0;
  if (transaction instanceof Transaction) message = transaction.compileMessage();
  else if (transaction instanceof VersionedTransaction && transaction.message.version === 0)
    message = transaction.message;
  else if (transaction instanceof VersionedTransaction && transaction.message.version === 'legacy')
    message = transaction.message;
  else throw new InvalidArgumentError('transaction must be a web3.js Transaction or a legacy/v0 VersionedTransaction');
  const signatures = message.header.numRequiredSignatures;
  return shortVecSize(signatures) + 64 * signatures + messageSize(message);
}
