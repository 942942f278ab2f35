import type { PublicKey } from '@solana/web3.js';
import { ByteReader, ByteWriter, requireAnchorData } from './bytes-internal.js';
import { EVENT_DISCRIMINATORS } from './discriminators.js';

/** Emitted by `publish_global_root`. */
export interface GlobalRootPublished {
  readonly mint: PublicKey;
  readonly rootSeq: bigint;
  readonly root: Uint8Array;
  readonly datasetHash: Uint8Array;
  readonly publisher: PublicKey;
  readonly slot: bigint;
}

/** Emitted by a claim that transferred something (an idempotent no-op claim emits nothing). */
export interface GlobalRewardsClaimed {
  readonly claimer: PublicKey;
  /** The gross delta sent from the treasury; the claimer nets it minus the mint's transfer fee. */
  readonly amount: bigint;
  readonly cumulativeTotal: bigint;
  readonly rootSeq: bigint;
}

/**
 * Bytes of a GlobalRootPublished payload, discriminator included.
 *
 * @example encodeGlobalRootPublished(event).length === GLOBAL_ROOT_PUBLISHED_SIZE // true
 */
export const GLOBAL_ROOT_PUBLISHED_SIZE = 152;
/**
 * Bytes of a GlobalRewardsClaimed payload, discriminator included.
 *
 * @example encodeGlobalRewardsClaimed(event).length === GLOBAL_REWARDS_CLAIMED_SIZE // true
 */
export const GLOBAL_REWARDS_CLAIMED_SIZE = 64;

/**
 * Decodes a GlobalRootPublished payload (the bytes behind `Program data:`); rejects another size or discriminator.
 *
 * @example decodeGlobalRootPublished(base64ToBytes(line.slice('Program data: '.length))).rootSeq
 */
export function decodeGlobalRootPublished(data: Uint8Array): GlobalRootPublished {
  requireAnchorData(
    data,
    'GlobalRootPublished event data',
    GLOBAL_ROOT_PUBLISHED_SIZE,
    EVENT_DISCRIMINATORS.GlobalRootPublished,
  );
  const r = new ByteReader(data);
  return {
    mint: r.publicKey(),
    rootSeq: r.u64(),
    root: r.bytes32(),
    datasetHash: r.bytes32(),
    publisher: r.publicKey(),
    slot: r.u64(),
  };
}

/**
 * Encodes a GlobalRootPublished payload as the program emits it (for local chains and tests).
 *
 * @example `Program data: ${Buffer.from(encodeGlobalRootPublished(event)).toString('base64')}`
 */
export function encodeGlobalRootPublished(event: GlobalRootPublished): Uint8Array {
  return new ByteWriter(GLOBAL_ROOT_PUBLISHED_SIZE)
    .raw(EVENT_DISCRIMINATORS.GlobalRootPublished)
    .publicKey(event.mint, 'mint')
    .u64(event.rootSeq, 'rootSeq')
    .bytes32(event.root, 'root')
    .bytes32(event.datasetHash, 'datasetHash')
    .publicKey(event.publisher, 'publisher')
    .u64(event.slot, 'slot').bytes;
}

/**
 * Decodes a GlobalRewardsClaimed payload; rejects another size or discriminator.
 *
 * @example decodeGlobalRewardsClaimed(payload).amount
 */
export function decodeGlobalRewardsClaimed(data: Uint8Array): GlobalRewardsClaimed {
  requireAnchorData(
    data,
    'GlobalRewardsClaimed event data',
    GLOBAL_REWARDS_CLAIMED_SIZE,
    EVENT_DISCRIMINATORS.GlobalRewardsClaimed,
  );
  const r = new ByteReader(data);
  return { claimer: r.publicKey(), amount: r.u64(), cumulativeTotal: r.u64(), rootSeq: r.u64() };
}

/**
 * Encodes a GlobalRewardsClaimed payload as the program emits it (for local chains and tests).
 *
 * @example encodeGlobalRewardsClaimed({ claimer, amount: 5n, cumulativeTotal: 5n, rootSeq: 1n })
 */
export function encodeGlobalRewardsClaimed(event: GlobalRewardsClaimed): Uint8Array {
  return new ByteWriter(GLOBAL_REWARDS_CLAIMED_SIZE)
    .raw(EVENT_DISCRIMINATORS.GlobalRewardsClaimed)
    .publicKey(event.claimer, 'claimer')
    .u64(event.amount, 'amount')
    .u64(event.cumulativeTotal, 'cumulativeTotal')
    .u64(event.rootSeq, 'rootSeq').bytes;
}
