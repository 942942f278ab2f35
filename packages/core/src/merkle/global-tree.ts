import { requireBytes, requireU64 } from '../bytes.js';
import { requireArgument } from '../errors.js';
import { type LeafVersion, leafTemplate } from '../leaf.js';
import { decodeTreeArtifact, encodeTreeArtifact } from './artifact.js';
import { inThreadBuilder, type TreeBuilder } from './builder.js';
import {
  amountBytes,
  type GlobalEntry,
  type GlobalLeaves,
  globalEntryAt,
  validateGlobalLeaves,
} from './global-leaves.js';
import { treeLayout } from './layout.js';
import { MerkleTree } from './tree.js';
import { walletOrder } from './wallet-order.js';

/** What makes one published root: the mint, its root_seq (inside every leaf) and the leaves. */
export interface GlobalRootInput {
  readonly mint: Uint8Array;
  readonly rootSeq: bigint;
  readonly leaves: GlobalLeaves;
}

/** A wallet's proof with everything a claim needs. */
export interface WalletProof {
  index: number;
  entry: GlobalEntry;
  proof: Uint8Array[];
}

/**
 * The tree of one global root: leaves sorted by wallet bytes, proofs by index or by wallet, and a binary artifact
 * (see `artifact.ts`) that any server replica can load instead of rebuilding.
 */
export class GlobalRootTree {
  /** Wraps built parts; use {@link buildGlobalRootTree} or `loadGlobalRootTree`. */
  constructor(
    readonly mint: Uint8Array,
    readonly rootSeq: bigint,
    /** Sorted by wallet bytes, the order of the leaves. */
    readonly leaves: GlobalLeaves,
    readonly merkle: MerkleTree,
  ) {}

  get version(): LeafVersion {
    return this.leaves.version;
  }

  get root(): Uint8Array {
    return this.merkle.root;
  }

  get count(): number {
    return this.merkle.leafCount;
  }

  /** The wallet and amounts of leaf `index`. */
  entry(index: number): GlobalEntry {
    requireArgument(
      Number.isInteger(index) && index >= 0 && index < this.count,
      `leaf index ${index} is out of range 0..${this.count - 1}`,
    );
    return globalEntryAt(this.leaves, index);
  }

  /** The leaf index of `wallet`, or -1 when it has no leaf in this root. */
  indexOf(wallet: Uint8Array): number {
    requireBytes(wallet, 32, 'wallet');
    const wallets = this.leaves.wallets;
    const { bits, starts } = this.prefixIndex();
    const prefix = walletPrefix(wallet, 0, bits);
    // Only the leaves that share the wallet's first `bits` bits: 8 to 16 up to 2^20 leaves, at most 256 (at 2^24).
    let low = starts[prefix] as number;
    let high = (starts[prefix + 1] as number) - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      let d = 0;
      for (let j = 0, o = mid * 32; j < 32 && d === 0; j++) d = (wallets[o + j] as number) - (wallet[j] as number);
      if (d === 0) return mid;
      if (d < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** The proof of leaf `index`. */
  proof(index: number): Uint8Array[] {
    return this.merkle.proof(index);
  }

  /**
   * The proof of leaf `index` as one buffer of 32-byte siblings, leaf to root.
   *
   * @example Buffer.from(tree.proofBytes(tree.indexOf(wallet))).toString('hex')
   */
  proofBytes(index: number): Uint8Array {
    return this.merkle.proofBytes(index);
  }

  /**
   * Writes the proof of leaf `index` into `out` (32 bytes per sibling, leaf to root) and returns its byte length.
   *
   * @example const n = tree.writeProof(tree.indexOf(wallet), scratch);
   */
  writeProof(index: number, out: Uint8Array): number {
    return this.merkle.writeProof(index, out);
  }

  #prefixIndex: PrefixIndex | undefined;

  /**
   * Where each wallet prefix starts among the sorted leaves (built on the first lookup, 4 bytes per prefix): 8 to 16
   * leaves per prefix up to 2^20 leaves, at most 2^16 prefixes (256 KiB), so a lookup in a million leaves skips 16
   * of the 20 steps of a binary search, each a likely cache miss.
   */
  private prefixIndex(): PrefixIndex {
    if (this.#prefixIndex !== undefined) return this.#prefixIndex;
    const count = this.count;
    const bits = Math.min(16, Math.max(0, Math.floor(Math.log2(count)) - 3));
    const starts = new Uint32Array(2 ** bits + 1);
    let next = 0;
    for (let i = 0; i < count; i++) {
      const prefix = walletPrefix(this.leaves.wallets, i * 32, bits);
      while (next <= prefix) starts[next++] = i;
    }
    starts.fill(count, next);
    this.#prefixIndex = { bits, starts };
    return this.#prefixIndex;
  }

  /**
   * The whole tree as one binary artifact (format in `artifact.ts`), for storage and for other replicas.
   *
   * @example const copy = await GlobalRootTree.load(await tree.dump());
   */
  dump(): Promise<Uint8Array> {
    return encodeTreeArtifact(this);
  }

  /**
   * Loads an artifact written by {@link GlobalRootTree.dump} (any format this library reads), rejecting a damaged or
   * foreign one with a clear error. The loaded tree keeps every level but the leaves' (recomputed for proofs).
   */
  static async load(artifact: Uint8Array): Promise<GlobalRootTree> {
    const { mint, rootSeq, leaves, merkle } = await decodeTreeArtifact(artifact);
    return new GlobalRootTree(mint, rootSeq, leaves, merkle);
  }

  /**
   * The proof and amounts for `wallet`, or null when the wallet has no leaf in this root.
   *
   * @example tree.proofForWallet(wallet)?.entry.cumulativeTotal
   */
  proofForWallet(wallet: Uint8Array): WalletProof | null {
    const index = this.indexOf(wallet);
    if (index < 0) return null;
    return { index, entry: globalEntryAt(this.leaves, index), proof: this.merkle.proof(index) };
  }
}

/** The leaf index where each `bits`-bit wallet prefix starts; entry 2^bits is the leaf count. */
interface PrefixIndex {
  readonly bits: number;
  readonly starts: Uint32Array;
}

/** The first `bits` (0..16) bits of the wallet at `offset` of `bytes`, as a number. */
function walletPrefix(bytes: Uint8Array, offset: number, bits: number): number {
  return (
    (((bytes[offset] as number) << 16) | ((bytes[offset + 1] as number) << 8) | (bytes[offset + 2] as number)) >>>
    (24 - bits)
  );
}

/**
 * Builds the tree of one root. Leaves may come in any order; they are sorted by wallet bytes (a duplicate wallet, a
 * zero total or a V5 sum beyond u64 is an error). Pass the parallel builder from `@attention-oracle/core/node` for
 * large trees; the result is byte-identical whichever builder hashes it.
 *
 * @example const tree = await buildGlobalRootTree({ mint, rootSeq: 1n, leaves: globalLeavesFromEntries('v4', entries) });
 */
export async function buildGlobalRootTree(input: GlobalRootInput, builder: TreeBuilder = inThreadBuilder) {
  const mint = requireBytes(input.mint, 32, 'mint').slice();
  const rootSeq = requireU64(input.rootSeq, 'root_seq');
  requireArgument(rootSeq > 0n, 'root_seq starts at 1');
  validateGlobalLeaves(input.leaves);
  const { version } = input.leaves;
  const layout = treeLayout(input.leaves.wallets.length / 32);
  const leaves = sortedCopy(input.leaves, builder);
  const nodes = builder.allocate(layout.totalNodes * 32);
  await builder.build({ layout, nodes, leaves: { ...leaves, template: leafTemplate(version, mint, rootSeq) } });
  return new GlobalRootTree(mint, rootSeq, leaves, new MerkleTree(layout, nodes));
}

function sortedCopy(leaves: GlobalLeaves, builder: TreeBuilder): GlobalLeaves {
  const width = amountBytes(leaves.version);
  const count = leaves.wallets.length / 32;
  const wallets = builder.allocate(count * 32);
  const amounts = builder.allocate(count * width);
  const order = walletOrder(leaves.wallets);
  if (order === null) {
    wallets.set(leaves.wallets);
    amounts.set(leaves.amounts);
  } else {
    permute(leaves.wallets, wallets, 32, order);
    permute(leaves.amounts, amounts, width, order);
  }
  return { version: leaves.version, wallets, amounts };
}

/** to[i] = from[order[i]] for records of `width` bytes; word copies when aligned, as a million subarrays cost more. */
function permute(from: Uint8Array, to: Uint8Array, width: number, order: Uint32Array) {
  if (from.byteOffset % 4 === 0 && to.byteOffset % 4 === 0) {
    const source = new Uint32Array(from.buffer, from.byteOffset, from.length / 4);
    const target = new Uint32Array(to.buffer, to.byteOffset, to.length / 4);
    const words = width / 4;
    for (let i = 0; i < order.length; i++) {
      const s = (order[i] as number) * words;
      for (let w = 0; w < words; w++) target[i * words + w] = source[s + w] as number;
    }
  } else {
    for (let i = 0; i < order.length; i++) {
      const s = (order[i] as number) * width;
      to.set(from.subarray(s, s + width), i * width);
    }
  }
}
