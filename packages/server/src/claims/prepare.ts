// claims.prepare: the unsigned claim transaction a wallet signs and sends itself (it pays the fee and any rent).

import { type AmountOutput, grossNet } from '../amounts.js';
import type { ServerDeps } from '../context.js';
import { ok, type Result } from '../errors.js';
import { buildClaim } from './build.js';
import { type ClaimRootRef, claimRootRef, claimTarget } from './target.js';

/** A prepared claim: the transaction, its blockhash, and what it pays. */
export interface PreparedClaim extends ClaimRootRef {
  wallet: string;
  /** The leaf's cumulative total, what the chain says was claimed, and the difference this claim pays. */
  total: AmountOutput;
  claimed: AmountOutput;
  claimable: AmountOutput;
  /** The unsigned transaction (fee payer: the wallet), base64 of its wire bytes with an empty signature slot. */
  transaction: string;
  version: 'legacy' | 'v0';
  /** Bytes once signed (at most 1,232). */
  size: number;
  /** The address lookup table a v0 transaction loads its fixed accounts from. */
  lookupTable: string | null;
  feePayer: string;
  recentBlockhash: string;
  lastValidBlockHeight: number;
}

/**
 * The unsigned claim transaction of `wallet` against root `seq` (default the newest published), or why there is none.
 *
 * @example const prepared = unwrap(await prepareClaim(ctx, 'So1...', undefined)); // sign prepared.transaction, send it
 */
export async function prepareClaim(
  deps: ServerDeps,
  wallet: string,
  seq: bigint | undefined,
): Promise<Result<PreparedClaim>> {
  const target = await claimTarget(deps, wallet, seq);
  if (!target.ok) return target;
  const t = target.value;
  const recent = await t.chain.client.connection().getLatestBlockhash('confirmed');
  const built = await buildClaim(deps, t, t.wallet, recent);
  if (!built.ok) return built;
  const wire =
    built.value.version === 0
      ? built.value.transaction.serialize()
      : built.value.transaction.serialize({ requireAllSignatures: false, verifySignatures: false });
  return ok({
    wallet,
    ...claimRootRef(t),
    total: grossNet(t.total, deps.feeFor),
    claimed: grossNet(t.claimed, deps.feeFor),
    claimable: grossNet(t.claimable, deps.feeFor),
    transaction: Buffer.from(wire).toString('base64'),
    version: built.value.version === 0 ? 'v0' : 'legacy',
    size: built.value.size,
    lookupTable: built.value.lookupTable?.toBase58() ?? null,
    feePayer: wallet,
    recentBlockhash: recent.blockhash,
    lastValidBlockHeight: recent.lastValidBlockHeight,
  });
}
