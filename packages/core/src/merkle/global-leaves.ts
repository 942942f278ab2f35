import { base58Encode } from '../base58.js';
import { requireBytes, requireU64, U64_MAX, writeU64LE } from '../bytes.js';
import { InvalidArgumentError, requireArgument } from '../errors.js';
import type { LeafVersion } from '../leaf.js';
import { MAX_LEAVES } from './layout.js';

/** One wallet's leaf: V4 carries the cumulative total; V5 splits it into base yield and attention bonus. */
export type GlobalEntryInput =
  | { wallet: Uint8Array; cumulativeTotal: bigint }
  | { wallet: Uint8Array; baseYield: bigint; attentionBonus: bigint };

/** A wallet's leaf as read back from a tree or dataset; `baseYield` and `attentionBonus` are present for V5. */
export interface GlobalEntry {
  wallet: Uint8Array;
  cumulativeTotal: bigint;
  baseYield?: bigint;
  attentionBonus?: bigint;
}

/**
 * Leaves in columns, the form bulk code uses: 32 bytes of wallet and one (V4) or two (V5) little-endian u64 amounts
 * per leaf. Objects per wallet would cost a million allocations for a million wallets.
 */
export interface GlobalLeaves {
  readonly version: LeafVersion;
  readonly wallets: Uint8Array;
  readonly amounts: Uint8Array;
}

/** Bytes of amounts per leaf. */
export const amountBytes = (version: LeafVersion) => (version === 'v4' ? 8 : 16);

/**
 * Columns from entries, in the order given (building sorts them).
 *
 * @example globalLeavesFromEntries('v4', [{ wallet, cumulativeTotal: 1000n }])
 */
export function globalLeavesFromEntries(version: LeafVersion, entries: readonly GlobalEntryInput[]): GlobalLeaves {
  requireArgument(version === 'v4' || version === 'v5', `leaf version must be "v4" or "v5", got ${String(version)}`);
  requireArgument(Array.isArray(entries), 'entries must be an array');
  const width = amountBytes(version);
  const wallets = new Uint8Array(entries.length * 32);
  const amounts = new Uint8Array(entries.length * width);
  entries.forEach((entry, i) => {
    wallets.set(requireBytes(entry.wallet, 32, `entry ${i} wallet`), i * 32);
    if (version === 'v4') {
      requireArgument('cumulativeTotal' in entry, `entry ${i} needs cumulativeTotal for a V4 leaf`);
      writeU64LE(amounts, i * 8, requireU64(entry.cumulativeTotal, `entry ${i} cumulative_total`));
    } else {
      requireArgument('baseYield' in entry, `entry ${i} needs baseYield and attentionBonus for a V5 leaf`);
      writeU64LE(amounts, i * 16, requireU64(entry.baseYield, `entry ${i} base_yield`));
      writeU64LE(amounts, i * 16 + 8, requireU64(entry.attentionBonus, `entry ${i} attention_bonus`));
    }
  });
  const leaves = { version, wallets, amounts };
  validateGlobalLeaves(leaves);
  return leaves;
}

/** The entry at `index` of columnar leaves. */
export function globalEntryAt(leaves: GlobalLeaves, index: number): GlobalEntry {
  const view = new DataView(leaves.amounts.buffer, leaves.amounts.byteOffset, leaves.amounts.byteLength);
  const wallet = leaves.wallets.slice(index * 32, index * 32 + 32);
  if (leaves.version === 'v4') return { wallet, cumulativeTotal: view.getBigUint64(index * 8, true) };
  const baseYield = view.getBigUint64(index * 16, true);
  const attentionBonus = view.getBigUint64(index * 16 + 8, true);
  return { wallet, cumulativeTotal: baseYield + attentionBonus, baseYield, attentionBonus };
}

/**
 * Checks shapes and amounts: 1..2^24 leaves, every cumulative total positive (a wallet with nothing has no leaf)
 * and, for V5, base_yield + attention_bonus within a u64 (the program adds them).
 */
export function validateGlobalLeaves(leaves: GlobalLeaves): void {
  const { version, wallets, amounts } = leaves;
  requireArgument(version === 'v4' || version === 'v5', `leaf version must be "v4" or "v5", got ${String(version)}`);
  requireArgument(wallets instanceof Uint8Array && wallets.length % 32 === 0, 'wallets must be 32 bytes each');
  const count = wallets.length / 32;
  requireArgument(count >= 1, 'a root needs at least one wallet with a positive total');
  requireArgument(count <= MAX_LEAVES, `a root holds at most 2^24 (${MAX_LEAVES}) wallets, got ${count}`);
  const width = amountBytes(version);
  requireArgument(
    amounts instanceof Uint8Array && amounts.length === count * width,
    `amounts must be ${width} bytes per wallet (${count * width}), got ${amounts?.length}`,
  );
  const view = new DataView(amounts.buffer, amounts.byteOffset, amounts.byteLength);
  for (let i = 0; i < count; i++) {
    const o = i * width;
    // Cheap 32-bit checks first; BigInt only where an overflow is possible at all.
    const zero = (view.getUint32(o, true) | view.getUint32(o + 4, true)) === 0;
    if (version === 'v4') {
      if (zero) reject(leaves, i, 'has a cumulative total of 0');
    } else {
      const zeroBonus = (view.getUint32(o + 8, true) | view.getUint32(o + 12, true)) === 0;
      if (zero && zeroBonus) reject(leaves, i, 'has a cumulative total of 0');
      if (view.getUint32(o + 4, true) + view.getUint32(o + 12, true) >= 0xffffffff) {
        if (view.getBigUint64(o, true) + view.getBigUint64(o + 8, true) > U64_MAX) {
          reject(leaves, i, 'has base_yield + attention_bonus above the u64 maximum');
        }
      }
    }
  }
}

function reject(leaves: GlobalLeaves, index: number, problem: string): never {
  const wallet = base58Encode(leaves.wallets.subarray(index * 32, index * 32 + 32));
  throw new InvalidArgumentError(`wallet ${wallet} ${problem}`);
}
