// Reading wallet bindings: the active one and the history.
import { fromHex } from '@attention-oracle/core';
import { type RawQuery, sql } from '@attention-oracle/db';
import { requireUserId } from './inputs-internal.js';

/** One wallet binding of a viewer. */
export interface WalletBinding {
  readonly id: number;
  readonly userId: bigint;
  /** 32 bytes */
  readonly wallet: Uint8Array;
  /** 'signature' | 'admin' | 'import' */
  readonly via: string;
  readonly boundAt: Date;
  /** Null while the binding is active. */
  readonly unboundAt: Date | null;
}

interface BindingRow {
  id: string;
  user_id: string;
  wallet: string;
  via: string;
  bound_at: Date | string;
  unbound_at: Date | string | null;
}

const toBinding = (r: BindingRow): WalletBinding => ({
  id: Number(r.id),
  userId: BigInt(r.user_id),
  wallet: fromHex(r.wallet),
  via: r.via,
  boundAt: new Date(r.bound_at),
  unboundAt: r.unbound_at === null ? null : new Date(r.unbound_at),
});

/**
 * The viewer's active binding (the wallet their credit goes to now), or null when they have none.
 *
 * @example const binding = await activeWallet(db.query, 123n); binding?.wallet
 */
export async function activeWallet(query: RawQuery, userId: bigint): Promise<WalletBinding | null> {
  const rows = await query<BindingRow>(sql`
    select id::text as id, user_id::text as user_id, encode(wallet, 'hex') as wallet, via, bound_at, unbound_at
    from wallet_bindings where user_id = ${requireUserId(userId).toString()}::bigint and unbound_at is null`);
  return rows[0] === undefined ? null : toBinding(rows[0]);
}

/**
 * Every binding the viewer ever had, oldest first (the last one is active unless it has `unboundAt`).
 *
 * @example for (const b of await bindingHistory(db.query, 123n)) console.log(b.boundAt, b.unboundAt);
 */
export async function bindingHistory(query: RawQuery, userId: bigint): Promise<WalletBinding[]> {
  const rows = await query<BindingRow>(sql`
    select id::text as id, user_id::text as user_id, encode(wallet, 'hex') as wallet, via, bound_at, unbound_at
    from wallet_bindings where user_id = ${requireUserId(userId).toString()}::bigint order by bound_at, id`);
  return rows.map(toBinding);
}
