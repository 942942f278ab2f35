// chain-watch: follow the program's GlobalRootPublished and GlobalRewardsClaimed events from a resumable cursor.
import { InvalidArgumentError } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import type { RpcClient } from '@attention-oracle/sdk';
import type { PublicKey } from '@solana/web3.js';
import type { RootProgress } from '../roots/progress.js';
import { readCursor, saveCursor } from './cursor.js';
import { markFinalizedRoots } from './finality.js';
import { fetchTransactions, signaturesSince } from './history.js';
import { recordTransaction } from './record.js';

/** Options of {@link watchChain}. */
export interface WatchChainOptions {
  readonly client: Pick<RpcClient, 'call' | 'batch'>;
  readonly programId: PublicKey;
  /** Record only this mint's root publishes, and claims in transactions that name it. Default: every mint. */
  readonly mint?: PublicKey;
  /** Transactions fetched per JSON-RPC batch and recorded per database transaction (default 100). */
  readonly batch?: number;
  /** Signatures per getSignaturesForAddress page (default 1000, the RPC maximum). */
  readonly pageSize?: number;
  readonly onProgress?: RootProgress;
}

/** What one {@link watchChain} run recorded. */
export interface WatchChainResult {
  /** Successful program transactions read. */
  readonly transactions: number;
  /** Failed transactions passed over. */
  readonly failed: number;
  readonly claims: number;
  readonly roots: number;
  /** Roots of this system found published by the events (the external-signer path). */
  readonly rootsPublished: number;
  /** Published roots newly marked finalized. */
  readonly finalized: number;
  /** True when the node did not have every transaction yet: the rest waits for the next run. */
  readonly incomplete: boolean;
  readonly cursor: { readonly signature: string; readonly slot: bigint } | null;
}

/**
 * Reads the program's transactions newer than the cursor, oldest first, records their events and moves the cursor
 * after each chunk, in the chunk's database transaction: a crash resumes after the last recorded chunk and recording
 * again adds nothing. Then marks finalized the published roots the finalized chain holds.
 *
 * @example const { claims, roots } = await watchChain(db, { client, programId, mint });
 */
export async function watchChain(db: DatabaseHandle, options: WatchChainOptions): Promise<WatchChainResult> {
  const { client, programId, mint } = options;
  const batch = options.batch ?? 100;
  if (!Number.isInteger(batch) || batch < 1 || batch > 1000) {
    throw new InvalidArgumentError(`batch must be an integer from 1 to 1000, got ${batch}`);
  }
  const name =
    mint === undefined ? `program:${programId.toBase58()}` : `program:${programId.toBase58()}:${mint.toBase58()}`;
  let cursor = await readCursor(db.query, name);
  const signatures = await signaturesSince(
    client,
    programId.toBase58(),
    cursor?.signature ?? null,
    options.pageSize,
    (found) => options.onProgress?.({ phase: 'signatures', done: found, total: found }),
  );
  const totals = { transactions: 0, failed: 0, claims: 0, roots: 0, rootsPublished: 0 };
  let incomplete = false;
  const progress = (done: number) => options.onProgress?.({ phase: 'transactions', done, total: signatures.length });
  progress(0);
  for (let start = 0; start < signatures.length && !incomplete; start += batch) {
    const chunk = signatures.slice(start, start + batch);
    const wanted = chunk.filter((s) => s.err === null || s.err === undefined);
    const fetched = await fetchTransactions(
      client,
      wanted.map((s) => s.signature),
    );
    const transactions = new Map(wanted.map((s, i) => [s.signature, fetched[i] ?? null]));
    cursor = await db.transaction(async (query) => {
      let last = cursor;
      for (const info of chunk) {
        if (info.err !== null && info.err !== undefined) {
          totals.failed++;
        } else {
          const tx = transactions.get(info.signature) ?? null;
          if (tx === null) {
            incomplete = true; // not served yet at this commitment: stop here, the next run resumes
            break;
          }
          if (tx.meta?.err !== null && tx.meta?.err !== undefined) totals.failed++;
          else {
            totals.transactions++;
            const recorded = await recordTransaction(query, info.signature, tx, { programId, mint });
            totals.claims += recorded.claims;
            totals.roots += recorded.roots;
            totals.rootsPublished += recorded.rootsPublished;
          }
        }
        last = { signature: info.signature, slot: BigInt(info.slot) };
      }
      if (last !== null && last !== cursor) await saveCursor(query, name, last);
      return last;
    });
    progress(Math.min(start + chunk.length, signatures.length));
  }
  const finalized = await markFinalizedRoots(db.query, client, programId);
  return { ...totals, finalized, incomplete, cursor };
}
