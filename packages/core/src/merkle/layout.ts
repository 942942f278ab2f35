import { InvalidArgumentError } from '../errors.js';

/** The most leaves a tree may hold: 2^24, so that every proof has at most 24 siblings. */
export const MAX_LEAVES = 2 ** 24;

/**
 * Where each level of a tree lives in its one contiguous node buffer: leaves first, the root last. Level k has
 * ceil(size(k-1) / 2) nodes; an odd last node is paired with itself.
 */
export interface TreeLayout {
  readonly leafCount: number;
  /** Nodes per level, leaves first. */
  readonly sizes: readonly number[];
  /** Index of each level's first node in the buffer (in nodes, not bytes). */
  readonly starts: readonly number[];
  readonly totalNodes: number;
  /** Levels above the leaves: the length of every proof. */
  readonly depth: number;
}

/**
 * The layout of a tree with `leafCount` leaves.
 *
 * @example treeLayout(5).sizes // [5, 3, 2, 1]
 */
export function treeLayout(leafCount: number): TreeLayout {
  if (!Number.isInteger(leafCount) || leafCount < 1) {
    throw new InvalidArgumentError(`a tree needs at least one leaf, got ${leafCount}`);
  }
  if (leafCount > MAX_LEAVES) {
    throw new InvalidArgumentError(`a tree holds at most 2^24 (${MAX_LEAVES}) leaves, got ${leafCount}`);
  }
  const sizes = [leafCount];
  while ((sizes[sizes.length - 1] as number) > 1) sizes.push(Math.ceil((sizes[sizes.length - 1] as number) / 2));
  const starts: number[] = [];
  let totalNodes = 0;
  for (const size of sizes) {
    starts.push(totalNodes);
    totalNodes += size;
  }
  return { leafCount, sizes, starts, totalNodes, depth: sizes.length - 1 };
}
