import { base58Decode, InvalidArgumentError } from '@attention-oracle/core';
import {
  type AddressLookupTableAccount,
  ComputeBudgetProgram,
  Transaction,
  type TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} from '@solana/web3.js';
import { type ClaimInput, getClaimInstruction } from './claim-instruction.js';
import { claimLookupTableAddresses } from './claim-lookup-table.js';
import type { ProgramConfig } from './program-config.js';
import { getTransactionSize, MAX_TRANSACTION_SIZE } from './transaction-size.js';
import { TransactionTooLargeError } from './transaction-too-large-error.js';

/** A claim plus what a transaction needs around it. */
export type BuildClaimTransactionInput = ClaimInput & {
  readonly recentBlockhash: string;
  /** Stored on a legacy transaction for confirmation strategies; a v0 one does not carry it. */
  readonly lastValidBlockHeight?: number;
  /** Compute unit limit (1..1,400,000); omitted: no limit instruction. */
  readonly computeUnitLimit?: number;
  /** Priority fee in micro-lamports per compute unit; omitted: no price instruction. */
  readonly computeUnitPrice?: bigint | number;
  /** A table holding `claimLookupTableAddresses(config)`, used only when a legacy transaction does not fit. */
  readonly lookupTable?: AddressLookupTableAccount;
};

/** The unsigned claim transaction and its serialized size once signed. */
export type ClaimTransaction =
  | { readonly version: 'legacy'; readonly transaction: Transaction; readonly size: number }
  | { readonly version: 0; readonly transaction: VersionedTransaction; readonly size: number };

const MAX_COMPUTE_UNIT_LIMIT = 1_400_000;

function computeBudgetInstructions(input: BuildClaimTransactionInput): TransactionInstruction[] {
  const out: TransactionInstruction[] = [];
  const { computeUnitLimit: units, computeUnitPrice: price } = input;
  if (units !== undefined) {
    if (!Number.isInteger(units) || units < 1 || units > MAX_COMPUTE_UNIT_LIMIT) {
      throw new InvalidArgumentError(
        `computeUnitLimit must be an integer in 1..${MAX_COMPUTE_UNIT_LIMIT}, got ${units}`,
      );
    }
    out.push(ComputeBudgetProgram.setComputeUnitLimit({ units }));
  }
  if (price !== undefined) {
    const valid =
      typeof price === 'bigint' ? price >= 0n && price < 1n << 64n : Number.isSafeInteger(price) && price >= 0;
    if (!valid) throw new InvalidArgumentError(`computeUnitPrice must be a u64 of micro-lamports, got ${price}`);
    out.push(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: price }));
  }
  return out;
}

/**
 * Builds an unsigned claim transaction that fits 1,232 bytes: a legacy transaction when it fits, otherwise a v0
 * transaction loading the claim's fixed accounts from `lookupTable`. Compute-budget instructions come first. Throws
 * {@link TransactionTooLargeError} when neither fits (no table given, or the table lacks the fixed accounts).
 * The fee payer is `payer` when sponsored, else the claimer; they sign (`transaction.sign` / `partialSign`).
 *
 * @example
 * const built = buildClaimTransaction({ claimer, rootSeq, cumulativeTotal, proof, recentBlockhash, lookupTable });
 * if (built.version === 0) built.transaction.sign([wallet]);
 * else built.transaction.sign(wallet);
 */
export function buildClaimTransaction(input: BuildClaimTransactionInput, config?: ProgramConfig): ClaimTransaction {
  // Checked here because web3.js only decodes the blockhash when serializing, long after the size decision.
  base58Decode(input.recentBlockhash, 32);
  const instructions = [...computeBudgetInstructions(input), getClaimInstruction(input, config)];
  const payerKey = input.payer ?? input.claimer;
  const legacy = new Transaction();
  legacy.feePayer = payerKey;
  legacy.recentBlockhash = input.recentBlockhash;
  if (input.lastValidBlockHeight !== undefined) legacy.lastValidBlockHeight = input.lastValidBlockHeight;
  legacy.add(...instructions);
  const legacySize = getTransactionSize(legacy);
  if (legacySize <= MAX_TRANSACTION_SIZE) return { version: 'legacy', transaction: legacy, size: legacySize };

  const table = input.lookupTable;
  if (table === undefined) {
    throw new TransactionTooLargeError(
      legacySize,
      'legacy',
      'pass `lookupTable`, an address lookup table holding claimLookupTableAddresses(config)',
    );
  }
  const message = new TransactionMessage({ payerKey, recentBlockhash: input.recentBlockhash, instructions });
  const v0 = new VersionedTransaction(message.compileToV0Message([table]));
  const size = getTransactionSize(v0);
  if (size > MAX_TRANSACTION_SIZE) {
    const missing = claimLookupTableAddresses(config).filter((a) => !table.state.addresses.some((t) => t.equals(a)));
    const advice =
      missing.length > 0
        ? `the lookup table ${table.key.toBase58()} lacks ${missing.map((a) => a.toBase58()).join(', ')}`
        : 'the proof is too deep for one transaction even with every fixed account in the lookup table';
    throw new TransactionTooLargeError(size, 0, advice);
  }
  return { version: 0, transaction: v0, size };
}
