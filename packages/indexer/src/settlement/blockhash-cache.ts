// One recent blockhash shared by every claim being signed: fetched at most once per `maxAgeMs`, and concurrent
// callers wait for the same request instead of each asking the cluster.
import type { RpcClient } from '@attention-oracle/sdk';

/** A blockhash, the last block height a transaction using it can land at, and the epoch (for the transfer fee). */
export interface RecentBlockhash {
  blockhash: string;
  lastValidBlockHeight: number;
  epoch: bigint;
}

/** A shared, briefly cached recent blockhash. */
export interface BlockhashCache {
  /** The cached blockhash while younger than `maxAgeMs`, else a fresh one (one request however many callers). */
  get(): Promise<RecentBlockhash>;
}

/**
 * A cache over `client` of the latest 'confirmed' blockhash and the current epoch, fetched together in one batch.
 *
 * @example
 * const blockhashes = createBlockhashCache(client, { maxAgeMs: 1_000 });
 * const { blockhash, lastValidBlockHeight } = await blockhashes.get();
 */
export function createBlockhashCache(
  client: Pick<RpcClient, 'batch'>,
  options: { maxAgeMs?: number } = {},
): BlockhashCache {
  const maxAgeMs = options.maxAgeMs ?? 1_000;
  let cached: { value: RecentBlockhash; at: number } | undefined;
  let inFlight: Promise<RecentBlockhash> | undefined;

  const fetchFresh = async (): Promise<RecentBlockhash> => {
    const [latest, epochInfo] = await client.batch([
      { method: 'getLatestBlockhash', params: [{ commitment: 'confirmed' }] },
      { method: 'getEpochInfo', params: [{ commitment: 'confirmed' }] },
    ]);
    if (!latest?.ok) throw latest?.error ?? new Error('getLatestBlockhash returned nothing');
    if (!epochInfo?.ok) throw epochInfo?.error ?? new Error('getEpochInfo returned nothing');
    const { value } = latest.result as { value: { blockhash: string; lastValidBlockHeight: number } };
    const { epoch } = epochInfo.result as { epoch: number };
    return { blockhash: value.blockhash, lastValidBlockHeight: value.lastValidBlockHeight, epoch: BigInt(epoch) };
  };

  return {
    get() {
      if (cached && Date.now() - cached.at < maxAgeMs) return Promise.resolve(cached.value);
      inFlight ??= fetchFresh()
        .then((value) => {
          cached = { value, at: Date.now() };
          return value;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
}
