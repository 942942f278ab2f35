/**
 * The transaction's blockhash expired (the cluster's block height passed its `lastValidBlockHeight`) and a node that
 * had seen that height found no trace of the signature: it did not land and never can. The caller may re-sign with a
 * fresh blockhash; nothing was re-signed here.
 *
 * @example
 * try {
 *   await sendAndConfirm(rpc, signed, { lastValidBlockHeight });
 * } catch (error) {
 *   if (error instanceof BlockhashExpiredError) await rebuildAndResign(error.signature);
 *   else throw error;
 * }
 */
export class BlockhashExpiredError extends Error {
  override readonly name = 'BlockhashExpiredError';
  readonly signature: string;
  readonly lastValidBlockHeight: number;
  /** The block height observed when the expiry was established. */
  readonly blockHeight: number;

  constructor(signature: string, lastValidBlockHeight: number, blockHeight: number) {
    super(
      `transaction ${signature} expired: block height ${blockHeight} passed its last valid block height ` +
        `${lastValidBlockHeight} and it did not land`,
    );
    this.signature = signature;
    this.lastValidBlockHeight = lastValidBlockHeight;
    this.blockHeight = blockHeight;
  }
}

/** Where a transaction failed: in the node's preflight simulation (never sent on), or executed on chain. */
export type TransactionFailureStage = 'preflight' | 'execution';

/**
 * The transaction itself failed: its `err` is the cluster's TransactionError (for example
 * `{ InstructionError: [0, { Custom: 6001 }] }`). At stage `execution` it landed (fees were paid) at `slot`.
 *
 * @example
 * try {
 *   await sendAndConfirm(rpc, signed, { lastValidBlockHeight });
 * } catch (error) {
 *   if (error instanceof TransactionFailedError) console.error(error.stage, error.err, error.logs);
 *   else throw error;
 * }
 */
export class TransactionFailedError extends Error {
  override readonly name = 'TransactionFailedError';
  readonly signature: string;
  readonly stage: TransactionFailureStage;
  readonly err: unknown;
  readonly slot: number | undefined;
  readonly logs: readonly string[] | undefined;

  constructor(
    signature: string,
    stage: TransactionFailureStage,
    err: unknown,
    details: { slot?: number; logs?: readonly string[]; cause?: unknown } = {},
  ) {
    super(
      `transaction ${signature} failed in ${stage}: ${JSON.stringify(err)}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.signature = signature;
    this.stage = stage;
    this.err = err;
    this.slot = details.slot;
    this.logs = details.logs;
  }
}
