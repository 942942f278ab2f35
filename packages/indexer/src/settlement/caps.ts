// The caps of direct settlement: checked once when configured, applied to each claim's delta.
import { InvalidArgumentError, U64_MAX } from '@attention-oracle/core';
import type { CapName, DirectCaps } from './types.js';

/**
 * Checks that every cap is a bigint in 1..2^64-1 (a claim is one u64 transfer) and returns them.
 *
 * @throws InvalidArgumentError naming the bad cap.
 * @example
 * const caps = checkCaps({ perClaim: env.DIRECT_MAX_PER_CLAIM, perWalletPerDay: env.DIRECT_MAX_PER_WALLET_PER_DAY,
 *   perDay: env.DIRECT_MAX_PER_DAY });
 */
export function checkCaps(caps: DirectCaps): DirectCaps {
  for (const name of ['perClaim', 'perWalletPerDay', 'perDay'] as const) {
    const value = caps[name];
    if (typeof value !== 'bigint' || value < 1n || value > U64_MAX) {
      throw new InvalidArgumentError(
        `direct settlement cap ${name} must be a bigint in 1..2^64-1, got ${String(value)}`,
      );
    }
  }
  return { perClaim: caps.perClaim, perWalletPerDay: caps.perWalletPerDay, perDay: caps.perDay };
}

/** What the last 24 hours already used of the daily caps. */
export interface DayUsage {
  wallet: bigint;
  total: bigint;
}

/**
 * How much a claim of `delta` (> 0) may pay: the smallest of the delta, the per-claim cap and what remains of the
 * wallet's and everyone's daily caps; or which daily cap is used up.
 *
 * @example
 * capClaim(5n, { perClaim: 3n, perWalletPerDay: 10n, perDay: 100n }, { wallet: 8n, total: 8n }); // { amount: 2n }
 */
export function capClaim(delta: bigint, caps: DirectCaps, used: DayUsage): { amount: bigint } | { cap: CapName } {
  const walletLeft = caps.perWalletPerDay - used.wallet;
  if (walletLeft <= 0n) return { cap: 'per-day-wallet' };
  const totalLeft = caps.perDay - used.total;
  if (totalLeft <= 0n) return { cap: 'per-day-total' };
  let amount = delta;
  for (const limit of [caps.perClaim, walletLeft, totalLeft]) if (limit < amount) amount = limit;
  return { amount };
}
