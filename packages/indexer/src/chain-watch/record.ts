// Recording one transaction's program events: claims into chain_claims, root publishes into chain_root_events (and
// onto the matching root of this system, which an external signer may have published). Re-recording is a no-op.
import { type RawQuery, sql } from '@attention-oracle/db';
import { parseProgramEvents } from '@attention-oracle/sdk';
import type { PublicKey } from '@solana/web3.js';
import type { TransactionInfo } from './history.js';

/** What recording one transaction added. */
export interface RecordedEvents {
  readonly claims: number;
  readonly roots: number;
  /** Roots of this system that the events showed published. */
  readonly rootsPublished: number;
}

/**
 * Records the Attention Oracle events of a successful transaction. With `mint`, only that mint's root publishes, and
 * only claims in transactions that name that mint, are recorded.
 *
 * @example await recordTransaction(query, signature, tx, { programId });
 */
export async function recordTransaction(
  query: RawQuery,
  signature: string,
  tx: TransactionInfo,
  filter: { readonly programId: PublicKey; readonly mint?: PublicKey | undefined },
): Promise<RecordedEvents> {
  const events = parseProgramEvents(tx.meta?.logMessages ?? [], { programId: filter.programId });
  const mint = filter.mint?.toBase58();
  const namesMint = mint === undefined || accountKeys(tx).includes(mint);
  const blockTime =
    tx.blockTime === undefined || tx.blockTime === null ? null : new Date(tx.blockTime * 1000).toISOString();
  let claims = 0;
  let roots = 0;
  let rootsPublished = 0;
  for (const [index, event] of events.entries()) {
    if (event.name === 'GlobalRewardsClaimed') {
      if (!namesMint) continue;
      const e = event.data;
      const added = await query(sql`
        insert into chain_claims (signature, event_index, claimer, amount, cumulative_total, root_seq, slot, block_time)
        values (${signature}, ${index}, ${e.claimer.toBytes()}, ${e.amount.toString()}::numeric,
          ${e.cumulativeTotal.toString()}::numeric, ${e.rootSeq.toString()}::bigint, ${tx.slot}::bigint, ${blockTime}::timestamptz)
        on conflict do nothing returning 1 as added`);
      claims += added.length;
      continue;
    }
    const e = event.data;
    if (mint !== undefined && e.mint.toBase58() !== mint) continue;
    const added = await query(sql`
      insert into chain_root_events (signature, event_index, mint, root_seq, root, dataset_hash, publisher, slot)
      values (${signature}, ${index}, ${e.mint.toBytes()}, ${e.rootSeq.toString()}::bigint, ${e.root},
        ${e.datasetHash}, ${e.publisher.toBytes()}, ${e.slot.toString()}::bigint)
      on conflict do nothing returning 1 as added`);
    roots += added.length;
    const marked = await query(sql`
      update roots set status = 'published', reason = null, publish_signature = ${signature},
        publish_slot = ${e.slot.toString()}::bigint, published_at = coalesce(published_at, now())
      where id = (select id from roots where mint = ${e.mint.toBytes()} and seq = ${e.rootSeq.toString()}::bigint
          and root = ${e.root} and dataset_hash = ${e.datasetHash}
          and status in ('built', 'awaiting-signature', 'alarm', 'published')
        order by (status = 'published') desc, id desc limit 1)
        and (status <> 'published' or publish_signature is distinct from ${signature})
      returning 1 as marked`);
    rootsPublished += marked.length;
  }
  return { claims, roots, rootsPublished };
}

function accountKeys(tx: TransactionInfo): string[] {
  const loaded = tx.meta?.loadedAddresses;
  return [...tx.transaction.message.accountKeys, ...(loaded?.writable ?? []), ...(loaded?.readonly ?? [])];
}
