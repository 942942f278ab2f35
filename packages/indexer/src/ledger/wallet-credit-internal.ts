// The two ways credit reaches a wallet's total: credited straight to it, or a waiting row assigned to it later.
import { toHex } from '@attention-oracle/core';
import { pgArray, type RawQuery, sql } from '@attention-oracle/db';

const CHUNK_ROWS = 50_000;

/**
 * Adds amounts to wallet_totals (rows created as needed), in wallet byte order. Zero amounts are skipped: a wallet
 * gets a total only once something is credited to it.
 */
export async function addToTotals(query: RawQuery, amounts: ReadonlyMap<string, bigint>): Promise<void> {
  const entries = [...amounts].filter(([, amount]) => amount > 0n);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // lowercase hex sorts as the bytes do
  for (let start = 0; start < entries.length; start += CHUNK_ROWS) {
    const chunk = entries.slice(start, start + CHUNK_ROWS);
    await query(sql`
      insert into wallet_totals (wallet, total)
      select decode(w, 'hex'), a from unnest(${pgArray(chunk.map(([w]) => w))}::text[],
        ${pgArray(chunk.map(([, a]) => a))}::numeric[]) as t(w, a)
      on conflict (wallet) do update set total = wallet_totals.total + excluded.total, updated_at = now()`);
  }
}

/** Adds one amount to one wallet's total. */
export function addToTotal(query: RawQuery, wallet: Uint8Array, amount: bigint): Promise<void> {
  return addToTotals(query, new Map([[toHex(wallet), amount]]));
}

/**
 * Gives every waiting credit row (wallet null) of `viewers` its wallet, and adds their sum to the wallet's total.
 * Returns the sum.
 */
export async function assignWaitingCredit(
  query: RawQuery,
  viewers: readonly string[],
  wallet: Uint8Array,
): Promise<bigint> {
  const [row] = await query<{ moved: string }>(sql`
    with assigned as (
      update wallet_credits set wallet = ${wallet}, assigned_at = now()
      where wallet is null and viewer = any(${pgArray(viewers)}::text[])
      returning amount
    )
    select coalesce(sum(amount), 0)::text as moved from assigned`);
  const moved = BigInt(row?.moved ?? 0);
  await addToTotal(query, wallet, moved);
  return moved;
}
