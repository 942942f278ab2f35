// The operator's claims commands: list, reconcile, and pay a wallet directly (direct settlement only).

import type { DatabaseHandle } from '@attention-oracle/db';
import { PublicKey } from '@solana/web3.js';
import type { ChainContext } from '../chain-context.js';
import { listClaims } from './claim-rows.js';
import { createDirectSettlement } from './direct-settlement.js';
import { reconcileClaims } from './reconcile.js';
import type { ClaimStatus, DirectCaps } from './types.js';

/** What the claims commands need; `chain` is resolved only by the commands that talk to the chain. */
export interface ClaimsCommandContext {
  readonly db: DatabaseHandle;
  readonly log: (line: string) => void;
  readonly chain: () => Promise<ChainContext>;
  readonly caps: DirectCaps;
}

const STATUSES: readonly ClaimStatus[] = ['reserved', 'pending', 'settled', 'failed', 'voided'];

/**
 * `claims list [--wallet w] [--status s] [--limit n] | reconcile | pay <wallet>`.
 *
 * @example await claimsCommand(context, ['list'], { status: 'pending' });
 */
export async function claimsCommand(
  context: ClaimsCommandContext,
  args: string[],
  options: { wallet?: string | undefined; status?: string | undefined; limit?: string | undefined },
): Promise<void> {
  const [action, address] = args;
  if (action === 'list') {
    if (options.status !== undefined && !STATUSES.includes(options.status as ClaimStatus)) {
      throw new Error(`--status must be one of ${STATUSES.join(', ')}`);
    }
    const claims = await listClaims(context.db.query, {
      wallet: options.wallet === undefined ? undefined : new PublicKey(options.wallet).toBytes(),
      status: options.status as ClaimStatus | undefined,
      limit: options.limit === undefined ? undefined : Number(options.limit),
    });
    for (const c of claims) {
      context.log(
        `${c.id} ${c.address} ${c.status} ${c.amount} (fee ${c.fee ?? '?'}) ${c.signature ?? '-'} ${c.createdAt.toISOString()}${c.error ? ` ${c.error}` : ''}`,
      );
    }
    if (claims.length === 0) context.log('no claims');
    return;
  }
  const chain = await context.chain();
  if (action === 'reconcile') {
    const r = await reconcileClaims(context.db, chain.client, { actor: 'cli' });
    return context.log(`settled ${r.settled}, failed ${r.failed}, voided ${r.voided}, still pending ${r.pending}`);
  }
  if (action === 'pay' && address) {
    if (chain.settlement !== 'direct' || !chain.treasuryAuthority) {
      throw new Error(`claims pay needs direct settlement with the treasury authority key (${chain.settlementReason})`);
    }
    const settlement = createDirectSettlement({
      db: context.db,
      client: chain.client,
      mint: chain.mint,
      treasuryAccount: chain.treasury,
      treasuryAuthority: chain.treasuryAuthority,
      caps: context.caps,
      actor: 'cli',
    });
    try {
      const result = await settlement.claim(new PublicKey(address), { requestedBy: 'cli' });
      return context.log(JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    } finally {
      await settlement.close();
    }
  }
  throw new Error('usage: claims list [--wallet <address>] [--status <s>] [--limit n] | reconcile | pay <address>');
}
