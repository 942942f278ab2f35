import { requireArgument } from '../errors.js';
import { inThreadBuilder, type TreeBuilder } from './builder.js';
import { type TreeLayout, treeLayout } from './layout.js';

/**
 * Writes the hash of leaf `index` into `out` at `offset`: how a tree that does not keep its leaf level gets a leaf
 * (one keccak of the leaf's preimage) when a proof or a check needs it.
 */
export type LeafHasher = (index: number, out: Uint8Array, offset: number) => void;

/**
 * A merkle tree with the program's node rule, its levels held in one contiguous buffer (leaves first, the root last),
 * so a proof is a handful of reads and the whole tree dumps as one blob. A tree given a {@link LeafHasher} keeps
 * only the levels above the leaves (a third less memory) and recomputes the one leaf a proof needs.
 */
export class MerkleTree {
  readonly #leafHash: LeafHasher | undefined;
  /** Nodes of the leaf level missing from `nodes` (the leaf count when leaves are recomputed, else 0). */
  readonly #skipped: number;
  /** `nodes` as 32-bit words when aligned: a proof copies 8 words per sibling instead of making a view of each. */
  readonly #words: Uint32Array | undefined;

  /**
   * Wraps a filled node buffer: every level, or with `leafHash` every level above the leaves; use
   * {@link buildMerkleTree} to make one.
   */
  constructor(
    readonly layout: TreeLayout,
    readonly nodes: Uint8Array,
    leafHash?: LeafHasher,
  ) {
    this.#leafHash = leafHash;
    this.#skipped = leafHash === undefined ? 0 : layout.leafCount;
    const stored = (layout.totalNodes - this.#skipped) * 32;
    requireArgument(nodes.length === stored, `node buffer must be ${stored} bytes`);
    this.#words =
      nodes.byteOffset % 4 === 0 ? new Uint32Array(nodes.buffer, nodes.byteOffset, nodes.length / 4) : undefined;
  }

  get leafCount(): number {
    return this.layout.leafCount;
  }

  /** Siblings in every proof (0 for a single leaf, whose root is the leaf itself). */
  get depth(): number {
    return this.layout.depth;
  }

  get root(): Uint8Array {
    return this.node(this.layout.totalNodes - 1);
  }

  /** True when the leaf level is held in {@link nodes}; false when leaves are recomputed on demand. */
  get keepsLeaves(): boolean {
    return this.#leafHash === undefined;
  }

  /**
   * The levels above the leaves, a view into {@link nodes} (what an artifact stores).
   *
   * @example tree.upperLevels.length === (tree.layout.totalNodes - tree.leafCount) * 32
   */
  get upperLevels(): Uint8Array {
    return this.nodes.subarray((this.layout.leafCount - this.#skipped) * 32);
  }

  /** The leaf hash at `index`. */
  leaf(index: number): Uint8Array {
    this.requireIndex(index);
    return this.node(index);
  }

  /**
   * The sibling list from the leaf at `index` to the root. An odd last node's sibling is itself.
   *
   * @example verifyProof(tree.leaf(3), tree.proof(3), tree.root) // true
   */
  proof(index: number): Uint8Array[] {
    // Views into one copy for the whole proof: callers may keep or change it without touching the tree.
    const siblings = this.proofBytes(index);
    const proof: Uint8Array[] = [];
    for (let at = 0; at < siblings.length; at += 32) proof.push(siblings.subarray(at, at + 32));
    return proof;
  }

  /**
   * The siblings of {@link proof} as one fresh buffer, 32 bytes each, leaf to root: no array of views, for callers
   * that encode the whole proof at once (hex, a response body).
   *
   * @example Buffer.from(tree.proofBytes(3)).toString('hex') // 64 hex digits per sibling
   */
  proofBytes(index: number): Uint8Array {
    const siblings = new Uint8Array(this.depth * 32);
    this.writeProof(index, siblings);
    return siblings;
  }

  /**
   * Writes the siblings of {@link proofBytes} into `out` (at least {@link depth} * 32 bytes) and returns how many
   * bytes it wrote: for a hot path that reuses one buffer instead of allocating one per proof.
   *
   * @example const n = tree.writeProof(3, scratch); Buffer.from(scratch.buffer, 0, n).toString('hex')
   */
  writeProof(index: number, out: Uint8Array): number {
    this.requireIndex(index);
    const { sizes, starts, depth } = this.layout;
    requireArgument(out.length >= depth * 32, `a proof of this tree needs ${depth * 32} bytes`);
    const skipped = this.#skipped;
    const words = this.#words;
    const outWords =
      words !== undefined && out.byteOffset % 4 === 0
        ? new Uint32Array(out.buffer, out.byteOffset, depth * 8)
        : undefined;
    let i = index;
    for (let level = 0; level < depth; level++) {
      const sibling = (i ^ 1) < (sizes[level] as number) ? i ^ 1 : i;
      const node = (starts[level] as number) - skipped + sibling;
      if (level === 0 && this.#leafHash !== undefined) this.#leafHash(sibling, out, 0);
      else if (words !== undefined && outWords !== undefined) {
        for (let w = 0; w < 8; w++) outWords[level * 8 + w] = words[node * 8 + w] as number;
      } else out.set(this.nodes.subarray(node * 32, node * 32 + 32), level * 32);
      i >>= 1;
    }
    return depth * 32;
  }

  private node(position: number): Uint8Array {
    if (position < this.#skipped) {
      const out = new Uint8Array(32);
      this.#leafHash?.(position, out, 0);
      return out;
    }
    const at = (position - this.#skipped) * 32;
    return this.nodes.slice(at, at + 32);
  }

  private requireIndex(index: number) {
    requireArgument(
      Number.isInteger(index) && index >= 0 && index < this.layout.leafCount,
      `leaf index ${index} is out of range 0..${this.layout.leafCount - 1}`,
    );
  }
}

/**
 * Builds a tree over leaf hashes in the order given (`leafHashes` holds 32 bytes per leaf).
 *
 * @example const tree = await buildMerkleTree(concatBytes(leafA, leafB)); tree.root
 */
export async function buildMerkleTree(leafHashes: Uint8Array, builder: TreeBuilder = inThreadBuilder) {
  requireArgument(leafHashes instanceof Uint8Array, 'leaf hashes must be a Uint8Array');
  requireArgument(leafHashes.length % 32 === 0, `leaf hashes must be 32 bytes each, got ${leafHashes.length} bytes`);
  const layout = treeLayout(leafHashes.length / 32);
  const nodes = builder.allocate(layout.totalNodes * 32);
  nodes.set(leafHashes, 0);
  await builder.build({ layout, nodes });
  return new MerkleTree(layout, nodes);
}
