// Whether a root we hold is on chain already, and by which transaction.
import { equalBytes } from '@attention-oracle/core';
import { type RawQuery, sql } from '@attention-oracle/db';
import type { GlobalRootConfig, RootEntry, RpcClient } from '@attention-oracle/sdk';

/**
 * The chain's entry for `seq` when it still holds that seq (roots[seq % 4]), else null.
 *
 * @example const entry = chainEntry(config, 7n); if (entry && equalBytes(entry.root, root)) markPublished();
 */
export function chainEntry(config: GlobalRootConfig | null, seq: bigint): RootEntry | null {
  if (config === null || seq < 1n || seq > config.latestRootSeq) return null;
  const entry = config.roots[Number(seq % 4n)];
  return entry !== undefined && entry.seq === seq ? entry : null;
}

/**
 * Whether the chain holds exactly this root (root and dataset hash) at `seq`.
 *
 * @example if (chainHolds(config, row)) await markRootPublished(query, row.id, { signature: null, slot });
 */
export function chainHolds(
  config: GlobalRootConfig | null,
  root: { readonly seq: bigint; readonly root: Uint8Array; readonly datasetHash: Uint8Array },
): RootEntry | null {
  const entry = chainEntry(config, root.seq);
  return entry && equalBytes(entry.root, root.root) && equalBytes(entry.datasetHash, root.datasetHash) ? entry : null;
}

/**
 * The signature of the transaction that published `root` at `seq`: from chain-watch's records, else `recorded` (the
 * signature this system sent) when the chain says it succeeded, else null (chain-watch fills it in later).
 *
 * @example const signature = await findPublishSignature(db.query, client, { mint, seq, root, recorded: row.publishSignature });
 */
export async function findPublishSignature(
  query: RawQuery,
  client: Pick<RpcClient, 'call'>,
  target: { mint: Uint8Array; seq: bigint; root: Uint8Array; recorded: string | null },
): Promise<string | null> {
  const [seen] = await query<{ signature: string }>(sql`
    select signature from chain_root_events
    where mint = ${target.mint} and root_seq = ${target.seq.toString()}::bigint and root = ${target.root}
    order by slot limit 1`);
  if (seen) return seen.signature;
  if (target.recorded === null) return null;
  const statuses = await client.call<{ value: ({ err: unknown } | null)[] }>('getSignatureStatuses', [
    [target.recorded],
    { searchTransactionHistory: true },
  ]);
  const status = statuses.value[0];
  return status && (status.err === null || status.err === undefined) ? target.recorded : null;
}
