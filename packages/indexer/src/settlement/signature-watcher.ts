// Confirmation for many claims at once: one poller asks the cluster about every watched signature in one batched
// round (getSignatureStatuses per 256 signatures plus the block height), re-sends what has not landed, and answers
// each waiting claim when its transaction landed, its blockhash expired, or its wait timed out.
import type { RpcBatchRequest, RpcClient } from '@attention-oracle/sdk';
import type { SettlementLog } from './types.js';

/** A sent transaction to watch. */
export interface WatchedTransaction {
  signature: string;
  /** Wire bytes, re-sent every `resendEveryMs` until it lands or expires. */
  wire: Uint8Array;
  lastValidBlockHeight: number;
}

/**
 * What became of a watched transaction. `landed` with `err` null succeeded; with an error it failed on chain (fees
 * paid). Not landed means only "not seen": 'expired' (the block height passed its last valid one), 'timeout' or
 * 'closed'; a durable verdict on those is reconcile's.
 */
export type WatchOutcome =
  | { landed: true; slot: number; err: unknown }
  | { landed: false; reason: 'expired' | 'timeout' | 'closed' };

/** Options of {@link createSignatureWatcher}. */
export interface SignatureWatcherOptions {
  /** Time between polling rounds while anything is watched (default 200 ms). */
  pollEveryMs?: number;
  /** Re-send a transaction not yet landed this often (default 2,000 ms). */
  resendEveryMs?: number;
  /** Give up waiting after this long (default 90 s, about the life of a blockhash). */
  timeoutMs?: number;
  log?: SettlementLog;
}

/** A shared confirmation poller. */
export interface SignatureWatcher {
  /** Resolves once the transaction landed (at 'confirmed' or better), expired, timed out, or the watcher closed. */
  watch(tx: WatchedTransaction): Promise<WatchOutcome>;
  /** How many transactions are being watched. */
  readonly size: number;
  /** Stops polling; every wait resolves as not landed ('closed'). */
  close(): void;
}

interface Entry extends WatchedTransaction {
  encoded: string;
  sentAt: number;
  /** Ends the wait after `timeoutMs`, whatever the polling cadence. */
  deadline: NodeJS.Timeout;
  resolve(outcome: WatchOutcome): void;
}

/** One entry of getSignatureStatuses' answer. */
export interface SignatureStatus {
  slot: number;
  confirmations: number | null;
  err: unknown;
  confirmationStatus?: 'processed' | 'confirmed' | 'finalized' | null;
}

/** getSignatureStatuses takes at most this many signatures per call. */
const STATUSES_PER_CALL = 256;
/** Signatures asked about per round; the rest wait for the next one. */
const SIGNATURES_PER_ROUND = 1024;

/**
 * At 'confirmed' or better (old nodes report rooted transactions with `confirmations: null` and no status).
 *
 * @example
 * isConfirmed({ slot: 9, confirmations: null, err: null, confirmationStatus: 'finalized' }); // true
 */
export function isConfirmed(status: SignatureStatus): boolean {
  const level = status.confirmationStatus ?? (status.confirmations === null ? 'finalized' : 'processed');
  return level === 'confirmed' || level === 'finalized';
}

/**
 * A confirmation poller over `client`. The timer runs only while something is watched.
 *
 * @example
 * const watcher = createSignatureWatcher(client, { pollEveryMs: 100 });
 * await client.call('sendTransaction', [base64, { encoding: 'base64', skipPreflight: true }]);
 * const outcome = await watcher.watch({ signature, wire, lastValidBlockHeight });
 */
export function createSignatureWatcher(
  client: Pick<RpcClient, 'batch'>,
  options: SignatureWatcherOptions = {},
): SignatureWatcher {
  const pollEveryMs = options.pollEveryMs ?? 200;
  const resendEveryMs = options.resendEveryMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const watching = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let closed = false;

  const finish = (entry: Entry, outcome: WatchOutcome) => {
    if (watching.get(entry.signature) !== entry) return;
    watching.delete(entry.signature);
    clearTimeout(entry.deadline);
    entry.resolve(outcome);
    if (watching.size === 0 && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };

  const schedule = () => {
    if (timer === undefined && !polling && !closed && watching.size > 0) timer = setTimeout(round, pollEveryMs);
  };

  async function round(): Promise<void> {
    timer = undefined;
    polling = true;
    try {
      await poll([...watching.values()].slice(0, SIGNATURES_PER_ROUND));
    } catch (error) {
      options.log?.('claim confirmation poll failed; retrying', { error: (error as Error).message });
    } finally {
      polling = false;
      schedule();
    }
  }

  async function poll(entries: Entry[]): Promise<void> {
    const chunks: Entry[][] = [];
    for (let i = 0; i < entries.length; i += STATUSES_PER_CALL) chunks.push(entries.slice(i, i + STATUSES_PER_CALL));
    const requests: RpcBatchRequest[] = chunks.map((chunk) => ({
      method: 'getSignatureStatuses',
      params: [chunk.map((e) => e.signature), { searchTransactionHistory: false }],
    }));
    requests.push({ method: 'getBlockHeight', params: [{ commitment: 'confirmed' }] });
    const answers = await client.batch(requests);
    const height = answers[chunks.length];
    const blockHeight = height?.ok ? (height.result as number) : undefined;
    const unseen: Entry[] = [];
    chunks.forEach((chunk, i) => {
      const answer = answers[i];
      if (!answer?.ok) return;
      const statuses = (answer.result as { value: (SignatureStatus | null)[] }).value;
      chunk.forEach((entry, j) => {
        const status = statuses[j];
        if (status && isConfirmed(status)) finish(entry, { landed: true, slot: status.slot, err: status.err ?? null });
        else if (!status && blockHeight !== undefined && blockHeight > entry.lastValidBlockHeight)
          finish(entry, { landed: false, reason: 'expired' });
        else if (!status) unseen.push(entry);
      });
    });
    const now = Date.now();
    const resend = unseen.filter((entry) => now - entry.sentAt >= resendEveryMs);
    if (resend.length === 0) return;
    for (const entry of resend) entry.sentAt = now;
    // Re-sends skip preflight: one that landed meanwhile would fail it, and the next round reads the real outcome.
    await client.batch(
      resend.map((entry) => ({
        method: 'sendTransaction',
        params: [entry.encoded, { encoding: 'base64', skipPreflight: true, maxRetries: 0 }],
      })),
    );
  }

  return {
    watch(tx) {
      if (closed) return Promise.resolve({ landed: false, reason: 'closed' });
      return new Promise<WatchOutcome>((resolve) => {
        const previous = watching.get(tx.signature);
        if (previous) finish(previous, { landed: false, reason: 'closed' });
        const entry: Entry = {
          ...tx,
          encoded: Buffer.from(tx.wire).toString('base64'),
          sentAt: Date.now(),
          deadline: setTimeout(() => finish(entry, { landed: false, reason: 'timeout' }), timeoutMs),
          resolve,
        };
        watching.set(tx.signature, entry);
        schedule();
      });
    },
    get size() {
      return watching.size;
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      for (const entry of [...watching.values()]) finish(entry, { landed: false, reason: 'closed' });
    },
  };
}
