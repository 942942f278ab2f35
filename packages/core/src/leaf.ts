import { requireBytes, requireU64, writeU64LE } from './bytes.js';
import { requireArgument } from './errors.js';
import { keccak256 } from './keccak.js';

/** The program's two global leaf formats. V5 splits the cumulative total into base yield and attention bonus. */
export type LeafVersion = 'v4' | 'v5';

const utf8 = new TextEncoder();
export const GLOBAL_V4_DOMAIN = utf8.encode('TWZRD:GLOBAL_V4');
export const GLOBAL_V5_DOMAIN = utf8.encode('TWZRD:GLOBAL_V5');
/** Bytes of a leaf preimage: domain, mint, root_seq, wallet, then one (V4) or two (V5) u64 amounts. */
export const LEAF_PREIMAGE_BYTES = { v4: 95, v5: 103 } as const;
/** Offset of the wallet inside a leaf preimage; the amounts follow it. */
export const LEAF_WALLET_OFFSET = 55;

/**
 * A reusable leaf preimage for one (version, mint, root_seq): only the wallet and amounts change between leaves,
 * so bulk hashing fills them in place instead of allocating 95 bytes per leaf.
 */
export function leafTemplate(version: LeafVersion, mint: Uint8Array, rootSeq: bigint): Uint8Array {
  requireArgument(version === 'v4' || version === 'v5', `leaf version must be "v4" or "v5", got ${String(version)}`);
  requireBytes(mint, 32, 'mint');
  requireU64(rootSeq, 'root_seq');
  const template = new Uint8Array(LEAF_PREIMAGE_BYTES[version]);
  template.set(version === 'v4' ? GLOBAL_V4_DOMAIN : GLOBAL_V5_DOMAIN, 0);
  template.set(mint, 15);
  writeU64LE(template, 47, rootSeq);
  return template;
}

/**
 * The preimage of a Global V4 leaf: `"TWZRD:GLOBAL_V4" || mint || root_seq u64le || wallet || cumulative_total u64le`.
 *
 * @example encodeGlobalV4Leaf(mint, 1n, wallet, 1000n).length // 95
 */
export function encodeGlobalV4Leaf(mint: Uint8Array, rootSeq: bigint, wallet: Uint8Array, cumulativeTotal: bigint) {
  const preimage = leafTemplate('v4', mint, rootSeq);
  preimage.set(requireBytes(wallet, 32, 'wallet'), LEAF_WALLET_OFFSET);
  writeU64LE(preimage, 87, requireU64(cumulativeTotal, 'cumulative_total'));
  return preimage;
}

/**
 * The preimage of a Global V5 leaf:
 * `"TWZRD:GLOBAL_V5" || mint || root_seq u64le || wallet || base_yield u64le || attention_bonus u64le`.
 * The program's cumulative total is their sum, so the sum must fit a u64 too.
 *
 * @example encodeGlobalV5Leaf(mint, 1n, wallet, 1000n, 200n).length // 103
 */
export function encodeGlobalV5Leaf(
  mint: Uint8Array,
  rootSeq: bigint,
  wallet: Uint8Array,
  baseYield: bigint,
  attentionBonus: bigint,
) {
  requireU64(
    requireU64(baseYield, 'base_yield') + requireU64(attentionBonus, 'attention_bonus'),
    'base_yield + attention_bonus',
  );
  const preimage = leafTemplate('v5', mint, rootSeq);
  preimage.set(requireBytes(wallet, 32, 'wallet'), LEAF_WALLET_OFFSET);
  writeU64LE(preimage, 87, baseYield);
  writeU64LE(preimage, 95, attentionBonus);
  return preimage;
}

/** keccak256 of a Global V4 leaf preimage: the leaf as the program hashes it. */
export function globalV4LeafHash(mint: Uint8Array, rootSeq: bigint, wallet: Uint8Array, cumulativeTotal: bigint) {
  return keccak256(encodeGlobalV4Leaf(mint, rootSeq, wallet, cumulativeTotal));
}

/** keccak256 of a Global V5 leaf preimage: the leaf as the program hashes it. */
export function globalV5LeafHash(
  mint: Uint8Array,
  rootSeq: bigint,
  wallet: Uint8Array,
  baseYield: bigint,
  attentionBonus: bigint,
) {
  return keccak256(encodeGlobalV5Leaf(mint, rootSeq, wallet, baseYield, attentionBonus));
}
