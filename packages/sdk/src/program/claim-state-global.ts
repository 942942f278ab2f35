import type { PublicKey } from '@solana/web3.js';
import { ByteReader, ByteWriter, requireAnchorData } from './bytes-internal.js';
import { ACCOUNT_DISCRIMINATORS } from './discriminators.js';

/**
 * Size of a ClaimStateGlobal account, discriminator included.
 *
 * @example await connection.getMinimumBalanceForRentExemption(CLAIM_STATE_GLOBAL_SIZE)
 */
export const CLAIM_STATE_GLOBAL_SIZE = 90;

/** A wallet's claim progress for a mint (PDA `["claim_global", mint, wallet]`), created on its first claim. */
export interface ClaimStateGlobal {
  readonly version: number;
  readonly bump: number;
  readonly mint: PublicKey;
  readonly wallet: PublicKey;
  /** Cumulative base units already paid; a claim pays `cumulative_total - claimed_total` when positive. */
  readonly claimedTotal: bigint;
  readonly lastClaimSeq: bigint;
}

/**
 * Decodes ClaimStateGlobal account data; rejects any other size or discriminator.
 *
 * @example
 * const claimable = cumulativeTotal - decodeClaimStateGlobal(accountInfo.data).claimedTotal;
 */
export function decodeClaimStateGlobal(data: Uint8Array): ClaimStateGlobal {
  requireAnchorData(
    data,
    'ClaimStateGlobal account data',
    CLAIM_STATE_GLOBAL_SIZE,
    ACCOUNT_DISCRIMINATORS.ClaimStateGlobal,
  );
  const r = new ByteReader(data);
  return {
    version: r.u8(),
    bump: r.u8(),
    mint: r.publicKey(),
    wallet: r.publicKey(),
    claimedTotal: r.u64(),
    lastClaimSeq: r.u64(),
  };
}

/**
 * Encodes a ClaimStateGlobal as account data (90 bytes), for local chains and tests.
 *
 * @example
 * const data = encodeClaimStateGlobal({ version: 1, bump, mint, wallet, claimedTotal: 0n, lastClaimSeq: 0n });
 */
export function encodeClaimStateGlobal(state: ClaimStateGlobal): Uint8Array {
  return new ByteWriter(CLAIM_STATE_GLOBAL_SIZE)
    .raw(ACCOUNT_DISCRIMINATORS.ClaimStateGlobal)
    .u8(state.version, 'version')
    .u8(state.bump, 'bump')
    .publicKey(state.mint, 'mint')
    .publicKey(state.wallet, 'wallet')
    .u64(state.claimedTotal, 'claimedTotal')
    .u64(state.lastClaimSeq, 'lastClaimSeq').bytes;
}
