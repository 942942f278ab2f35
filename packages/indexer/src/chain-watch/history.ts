// An address's transaction history through JSON-RPC: signatures newer than a cursor, then the transactions.
import type { RpcClient } from '@attention-oracle/sdk';

/** One entry of getSignaturesForAddress. */
export interface SignatureInfo {
  readonly signature: string;
  readonly slot: number;
  readonly err: unknown;
  readonly blockTime?: number | null;
}

/** The parts of a getTransaction answer (json encoding) chain-watch reads. */
export interface TransactionInfo {
  readonly slot: number;
  readonly blockTime?: number | null;
  readonly transaction: { readonly message: { readonly accountKeys: readonly string[] } };
  readonly meta: {
    readonly err: unknown;
    readonly logMessages?: readonly string[] | null;
    readonly loadedAddresses?: { readonly writable: readonly string[]; readonly readonly: readonly string[] } | null;
  } | null;
}

/** The commitment chain-watch reads at. */
export const WATCH_COMMITMENT = 'confirmed';

/**
 * Every signature of `address` newer than `until` (all of them when null), oldest first. Pages of `limit` newest
 * first back to the cursor, as the RPC serves them.
 *
 * @example const fresh = await signaturesSince(client, programId.toBase58(), cursor?.signature ?? null);
 */
export async function signaturesSince(
  client: Pick<RpcClient, 'call'>,
  address: string,
  until: string | null,
  limit = 1000,
  onPage?: (found: number) => void,
): Promise<SignatureInfo[]> {
  const found: SignatureInfo[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await client.call<SignatureInfo[]>('getSignaturesForAddress', [
      address,
      {
        limit,
        commitment: WATCH_COMMITMENT,
        ...(until === null ? {} : { until }),
        ...(before === undefined ? {} : { before }),
      },
    ]);
    found.push(...page);
    onPage?.(found.length);
    const last = page[page.length - 1];
    if (page.length < limit || last === undefined) break;
    before = last.signature;
  }
  return found.reverse();
}

/**
 * The transactions of `signatures`, in order, in one JSON-RPC batch; null where the node does not have one yet.
 *
 * @throws RpcError when the batch or any item fails (the caller retries later).
 * @example const txs = await fetchTransactions(client, chunk.map((s) => s.signature));
 */
export async function fetchTransactions(
  client: Pick<RpcClient, 'batch'>,
  signatures: readonly string[],
): Promise<(TransactionInfo | null)[]> {
  const results = await client.batch<TransactionInfo | null>(
    signatures.map((signature) => ({
      method: 'getTransaction',
      params: [signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: WATCH_COMMITMENT }],
    })),
  );
  return results.map((result) => {
    if (!result.ok) throw result.error;
    return result.result;
  });
}
