import type { Transaction, VersionedTransaction } from '@solana/web3.js';
import type { RpcClient } from './rpc-client.js';
import { RpcError } from './rpc-error.js';
import { sleep } from './sleep-internal.js';
import { BlockhashExpiredError, TransactionFailedError } from './transaction-errors.js';
import { firstSignature, toBase64 } from './wire-internal.js';

/** A signed transaction: web3.js legacy or versioned, or its wire bytes. */
export type SignedTransaction = Transaction | VersionedTransaction | Uint8Array;

/** When to stop waiting, and how often to re-send and poll. */
export interface SendAndConfirmOptions {
  /** From the same `getLatestBlockhash` answer as the transaction's blockhash. */
  lastValidBlockHeight: number;
  /** Default `confirmed`. */
  commitment?: 'processed' | 'confirmed' | 'finalized';
  /** Re-send the same bytes this often until confirmed or expired. Default 2 000. */
  resendEveryMs?: number;
  /** Check the signature status this often. Default 500. */
  pollEveryMs?: number;
  /** Skip preflight simulation on the first send too. Default false. */
  skipPreflight?: boolean;
  /** Stops waiting (rejects with an RpcError of kind `aborted`); the transaction may still land. */
  signal?: AbortSignal;
}

/** A confirmed transaction. */
export interface SendAndConfirmResult {
  signature: string;
  slot: number;
}

interface SignatureStatus {
  slot: number;
  confirmations: number | null;
  err: unknown;
  confirmationStatus?: 'processed' | 'confirmed' | 'finalized' | null;
}
interface StatusesAnswer {
  context: { slot: number };
  value: (SignatureStatus | null)[];
}

const LEVEL = { processed: 0, confirmed: 1, finalized: 2 } as const;

function reached(status: SignatureStatus, commitment: keyof typeof LEVEL): boolean {
  // Nodes that predate confirmationStatus report finalized (rooted) transactions with `confirmations: null`.
  const level = status.confirmationStatus ?? (status.confirmations === null ? 'finalized' : 'processed');
  return LEVEL[level] >= LEVEL[commitment];
}

function settle(signature: string, status: SignatureStatus): SendAndConfirmResult {
  if (status.err !== null && status.err !== undefined) {
    throw new TransactionFailedError(signature, 'execution', status.err, { slot: status.slot });
  }
  return { signature, slot: status.slot };
}

function failedPreflight(error: unknown, signature: string): TransactionFailedError | undefined {
  if (!(error instanceof RpcError) || error.kind !== 'transaction') return undefined;
  const data = (error.data ?? {}) as { err?: unknown; logs?: string[] | null };
  // A transaction that already landed (sent earlier through another endpoint) fails preflight this way; the status
  // poll reports its real outcome.
  if (data.err === 'AlreadyProcessed' || /already been processed/i.test(error.message)) return undefined;
  return new TransactionFailedError(signature, 'preflight', data.err ?? error.message, {
    ...(data.logs ? { logs: data.logs } : {}),
    cause: error,
  });
}

// Retryable failures while waiting are expected (the outcome is decided by the cluster, not by one answer);
// final ones mean a misconfigured pool and are thrown.
function tolerateRetryable(error: unknown): undefined {
  if (error instanceof RpcError && error.retryable) return undefined;
  throw error;
}

/**
 * Sends an already-signed transaction and waits until it reaches `commitment`, re-sending the same bytes every
 * `resendEveryMs`. It never signs and never fetches a blockhash: when the block height passes `lastValidBlockHeight`
 * and a node that has seen that height has no trace of the signature, it throws {@link BlockhashExpiredError} and the
 * caller decides whether to re-sign. A failed transaction throws {@link TransactionFailedError}.
 *
 * @example
 * const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash('confirmed');
 * tx.recentBlockhash = blockhash;
 * tx.sign(payer);
 * const { signature, slot } = await sendAndConfirm(rpc, tx, { lastValidBlockHeight });
 */
export async function sendAndConfirm(
  client: Pick<RpcClient, 'call'>,
  signedTx: SignedTransaction,
  options: SendAndConfirmOptions,
): Promise<SendAndConfirmResult> {
  const wire = signedTx instanceof Uint8Array ? signedTx : Uint8Array.from(signedTx.serialize());
  const signature = firstSignature(wire);
  const encoded = toBase64(wire);
  const { lastValidBlockHeight, signal } = options;
  const commitment = options.commitment ?? 'confirmed';
  const call = <T>(method: string, params: unknown[]) => client.call<T>(method, params, signal ? { signal } : {});
  const send = (skipPreflight: boolean) =>
    call<string>('sendTransaction', [
      encoded,
      { encoding: 'base64', skipPreflight, preflightCommitment: commitment, maxRetries: 0 },
    ]);

  await send(options.skipPreflight ?? false).catch((error: unknown) => {
    const failure = failedPreflight(error, signature);
    if (failure !== undefined) throw failure;
    if (!(error instanceof RpcError && error.kind === 'transaction')) tolerateRetryable(error);
  });
  let sentAt = Date.now();
  for (;;) {
    await sleep(options.pollEveryMs ?? 500, signal);
    if (signal?.aborted) throw new RpcError('aborted by the caller', abortContext(signature));
    const outcome = await checkOnce(call, signature, commitment, lastValidBlockHeight).catch(tolerateRetryable);
    if (outcome !== undefined) return outcome;
    if (Date.now() - sentAt >= (options.resendEveryMs ?? 2_000)) {
      sentAt = Date.now();
      // Re-sends skip preflight: a landed transaction would fail it with AlreadyProcessed, and the poll decides.
      await send(true).catch(tolerateRetryable);
    }
  }
}

async function checkOnce(
  call: <T>(method: string, params: unknown[]) => Promise<T>,
  signature: string,
  commitment: keyof typeof LEVEL,
  lastValidBlockHeight: number,
): Promise<SendAndConfirmResult | undefined> {
  const recent = await call<StatusesAnswer>('getSignatureStatuses', [[signature], { searchTransactionHistory: false }]);
  const status = recent.value[0];
  if (status && reached(status, commitment)) return settle(signature, status);
  const epoch = await call<{ blockHeight: number; absoluteSlot: number }>('getEpochInfo', [{ commitment }]);
  if (epoch.blockHeight <= lastValidBlockHeight) return undefined;
  // The height passed. Only a node that has seen at least that slot can tell that the signature is nowhere; a
  // lagging one (the pool spreads calls) might just not have the block yet.
  const settled = await call<StatusesAnswer>('getSignatureStatuses', [[signature], { searchTransactionHistory: true }]);
  const landed = settled.value[0];
  if (landed) return reached(landed, commitment) ? settle(signature, landed) : undefined;
  if (settled.context.slot >= epoch.absoluteSlot) {
    throw new BlockhashExpiredError(signature, lastValidBlockHeight, epoch.blockHeight);
  }
  return undefined;
}

function abortContext(signature: string) {
  return { kind: 'aborted' as const, endpoint: '(none)', method: `sendAndConfirm ${signature}`, attempts: 0 };
}
