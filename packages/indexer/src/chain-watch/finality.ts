// A proof is cacheable as immutable only once its root's publish is finalized: mark published roots finalized when
// the chain's finalized GlobalRootConfig holds them.
import { equalBytes } from '@attention-oracle/core';
import { type RawQuery, sql } from '@attention-oracle/db';
import type { RpcClient } from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import { readGlobalRootConfig } from '../roots/chain-state.js';

/**
 * Marks `finalized` every published root whose publish the finalized chain holds: its entry is still there with the
 * same root, or a later root has overwritten its slot (which needs it on the finalized chain). Returns how many.
 *
 * @example const finalized = await markFinalizedRoots(db.query, client, programId);
 */
export async function markFinalizedRoots(
  query: RawQuery,
  client: Pick<RpcClient, 'call'>,
  programId: PublicKey,
): Promise<number> {
  const pending = await query<{ id: string; mint: Uint8Array; seq: string; root: Uint8Array }>(sql`
    select id::text as id, mint, seq::text as seq, root from roots where status = 'published' and not finalized`);
  const byMint = new Map<string, typeof pending>();
  for (const row of pending) {
    const key = new PublicKey(row.mint).toBase58();
    byMint.set(key, [...(byMint.get(key) ?? []), row]);
  }
  let finalized = 0;
  for (const [mint, rows] of byMint) {
    const config = await readGlobalRootConfig(client, {
      programId,
      mint: new PublicKey(mint),
      commitment: 'finalized',
    });
    if (config === null) continue;
    const ids = rows
      .filter((row) => {
        const seq = BigInt(row.seq);
        if (seq > config.latestRootSeq) return false;
        const entry = config.roots[Number(seq % 4n)];
        if (entry === undefined) return false;
        return entry.seq > seq || (entry.seq === seq && equalBytes(entry.root, row.root));
      })
      .map((row) => Number(row.id));
    if (ids.length === 0) continue;
    const marked = await query(sql`
      update roots set finalized = true where id = any(${`{${ids.join(',')}}`}::bigint[]) returning 1 as marked`);
    finalized += marked.length;
  }
  return finalized;
}
