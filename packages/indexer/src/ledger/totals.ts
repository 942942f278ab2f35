// A wallet's entitlement, defined once: its credited total (wallet_totals), plus for V5 the base yield imported for the
// newest root at or before the one being built. Everything that pays or publishes reads it from here.
import { type RawQuery, sql } from '@attention-oracle/db';

/** What a wallet is owed in total (cumulative, never decreasing). */
export interface WalletEntitlement {
  /** Credited by this system (V5's attention_bonus). */
  credited: bigint;
  /** Imported base yield (V5), 0 when none. */
  baseYield: bigint;
  /** credited + baseYield: the cumulative total a claim pays up to. */
  total: bigint;
}

/**
 * The entitlement of one wallet (32 bytes). `rootSeq` picks the base yield imported for the newest root at or before
 * it; omitted, the newest import.
 *
 * @example const { total } = await walletEntitlement(db.query, wallet);
 */
export async function walletEntitlement(
  query: RawQuery,
  wallet: Uint8Array,
  rootSeq?: bigint,
): Promise<WalletEntitlement> {
  const upTo = rootSeq === undefined ? null : rootSeq.toString();
  const [row] = await query<{ credited: string | null; base_yield: string | null }>(sql`
    select (select total::text from wallet_totals where wallet = ${wallet}) as credited,
      (select base_yield::text from external_credits where wallet = ${wallet}
        and (${upTo}::bigint is null or root_seq <= ${upTo}::bigint) order by root_seq desc limit 1) as base_yield`);
  const credited = BigInt(row?.credited ?? 0);
  const baseYield = BigInt(row?.base_yield ?? 0);
  return { credited, baseYield, total: credited + baseYield };
}
