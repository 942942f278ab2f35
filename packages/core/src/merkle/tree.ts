import { requireArgument } from '../errors.js';
import { inThreadBuilder, type TreeBuilder } from './builder.js';
import { type TreeLayout, treeLayout } from './layout.js';

/**
 * A merkle tree with the program's node rule, every level held in one contiguous buffer (leaves first), so a proof
 * is a handful of reads and the whole tree dumps as one blob.
 */
export class MerkleTree {
  /** Wraps a filled node buffer; use {@link buildMerkleTree} to make one. */
  constructor(
    readonly layout: TreeLayout,
    readonly nodes: Uint8Array,
  ) {
    requireArgument(nodes.length === layout.totalNodes * 32, `node buffer must be ${layout.totalNodes * 32} bytes`);
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
    this.requireIndex(index);
    const { sizes, starts, depth } = this.layout;
    const siblings = new Uint8Array(depth * 32);
    let i = index;
    for (let level = 0; level < depth; level++) {
      const at = ((starts[level] as number) + ((i ^ 1) < (sizes[level] as number) ? i ^ 1 : i)) * 32;
      siblings.set(this.nodes.subarray(at, at + 32), level * 32);
      i >>= 1;
    }
    return siblings;
  }

  private node(position: number): Uint8Array {
    return this.nodes.slice(position * 32, position * 32 + 32);
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
