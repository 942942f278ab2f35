// Binding a wallet: the data-model side of the binding flow (the server proves the wallet, then calls this).
import { base58Encode, equalBytes, InvalidArgumentError } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { audit } from '../audit.js';
import { viewersOfUser } from './accounts.js';
import { activeWallet } from './bindings.js';
import { requireActor, requireBytes32, requireUserId } from './inputs-internal.js';
import { lockLedger } from './ledger-lock.js';
import { assignWaitingCredit } from './wallet-credit-internal.js';

/** How a binding was proven. */
export const BINDING_METHODS = ['signature', 'admin', 'import'] as const;
export type BindingMethod = (typeof BINDING_METHODS)[number];

/** Input of {@link bindWallet}. */
export interface BindWalletInput {
  readonly userId: bigint;
  /** 32 bytes */
  readonly wallet: Uint8Array;
  readonly via: BindingMethod;
  readonly actor: string;
}

/** What {@link bindWallet} did. */
export interface BindWalletResult {
  /** The active binding now (the existing one when the wallet was already bound). */
  readonly bindingId: number;
  /** Waiting credit assigned to the wallet by this binding. */
  readonly movedCredit: bigint;
  /** Whether this is the viewer's first binding ever. */
  readonly first: boolean;
}

/**
 * Makes `wallet` the viewer's one active wallet, in one transaction under the ledger lock. A previous active binding to
 * another wallet ends; credit already on it stays there (a rebinding moves only future credit). Credit still waiting
 * (credited before the first binding, including that of legacy logins joined to the viewer) is assigned to the new
 * wallet and added to its total. Binding the wallet that is already active is a no-op returning that binding.
 *
 * @example const { movedCredit, first } = await bindWallet(db, { userId: 123n, wallet, via: 'signature', actor: 'server' });
 */
export async function bindWallet(db: DatabaseHandle, input: BindWalletInput): Promise<BindWalletResult> {
  const userId = requireUserId(input.userId);
  const wallet = requireBytes32(input.wallet, 'wallet');
  const actor = requireActor(input.actor);
  if (!BINDING_METHODS.includes(input.via)) {
    throw new InvalidArgumentError(
      `via must be one of ${BINDING_METHODS.join(', ')}, got ${JSON.stringify(input.via)}`,
    );
  }
  return db.transaction(async (query) => {
    await lockLedger(query);
    const current = await activeWallet(query, userId);
    if (current !== null && equalBytes(current.wallet, wallet)) {
      return { bindingId: current.id, movedCredit: 0n, first: false };
    }
    const [count] = await query<{ n: number }>(sql`
      select count(*)::int as n from wallet_bindings where user_id = ${userId.toString()}::bigint`);
    const first = (count?.n ?? 0) === 0;
    if (current !== null) {
      await query(sql`update wallet_bindings set unbound_at = now() where id = ${current.id}::bigint`);
    }
    const [row] = await query<{ id: string }>(sql`
      insert into wallet_bindings (user_id, wallet, via) values (${userId.toString()}::bigint, ${wallet}, ${input.via})
      returning id::text as id`);
    const bindingId = Number(row?.id);
    const movedCredit = await assignWaitingCredit(query, await viewersOfUser(query, userId), wallet);
    await audit(query, actor, 'wallet.bound', userId.toString(), {
      wallet: base58Encode(wallet),
      previous: current === null ? null : base58Encode(current.wallet),
      via: input.via,
      first,
      movedCredit,
    });
    return { bindingId, movedCredit, first };
  });
}
