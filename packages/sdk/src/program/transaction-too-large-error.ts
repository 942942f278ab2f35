import { MAX_TRANSACTION_SIZE } from './transaction-size.js';

/** Which transaction shape was measured last before giving up. */
export type MeasuredTransactionVersion = 'legacy' | 0;

/**
 * A transaction that cannot be sent because it exceeds 1,232 bytes. Carries the measured size so callers can
 * report it, and says in its message what would make it fit (a lookup table, or a fuller one).
 *
 * @example
 * try { buildClaimTransaction(input); } catch (e) { if (e instanceof TransactionTooLargeError) console.log(e.size); }
 */
export class TransactionTooLargeError extends Error {
  override readonly name = 'TransactionTooLargeError';
  readonly size: number;
  readonly limit = MAX_TRANSACTION_SIZE;
  readonly version: MeasuredTransactionVersion;

  constructor(size: number, version: MeasuredTransactionVersion, advice: string) {
    const shape = version === 'legacy' ? 'a legacy transaction' : 'a v0 transaction with the lookup table';
    super(`claim transaction is ${size} bytes as ${shape}, over the ${MAX_TRANSACTION_SIZE}-byte limit: ${advice}`);
    this.size = size;
    this.version = version;
  }
}
