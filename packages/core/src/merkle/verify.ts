import { compareBytes, equalBytes } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { keccak256 } from '../keccak.js';

/** The program accepts proofs of at most this many siblings. */
export const MAX_PROOF_LENGTH = 32;

/**
 * A parent node as the program computes it: `keccak(min(a, b) || max(a, b))`, bytewise, with no node prefix.
 *
 * @example hashPair(leafA, leafB) // equals hashPair(leafB, leafA)
 */
export function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const [low, high] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(low, 0);
  pair.set(high, 32);
  return keccak256(pair);
}

/**
 * The root a proof leads to from `leaf`. Rejects (rather than returns false for) a proof that is structurally
 * invalid: more than 32 siblings, or a sibling that is not 32 bytes.
 *
 * @example processProof(leaf, proof) // the 32-byte root
 */
export function processProof(leaf: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  if (!(leaf instanceof Uint8Array) || leaf.length !== 32) throw new InvalidArgumentError('leaf must be 32 bytes');
  if (!Array.isArray(proof)) throw new InvalidArgumentError('proof must be an array of 32-byte siblings');
  if (proof.length > MAX_PROOF_LENGTH) {
    throw new InvalidArgumentError(
      `proof has ${proof.length} siblings; the program accepts at most ${MAX_PROOF_LENGTH}`,
    );
  }
  let node = leaf;
  for (const [i, sibling] of proof.entries()) {
    if (!(sibling instanceof Uint8Array) || sibling.length !== 32) {
      throw new InvalidArgumentError(`proof sibling ${i} must be 32 bytes`);
    }
    node = hashPair(node, sibling);
  }
  return node;
}

/**
 * True when `proof` leads from `leaf` to `root`, exactly as the program checks a claim.
 *
 * @example verifyProof(globalV4LeafHash(mint, seq, wallet, total), proof, root) // true
 */
export function verifyProof(leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!(root instanceof Uint8Array) || root.length !== 32) throw new InvalidArgumentError('root must be 32 bytes');
  return equalBytes(processProof(leaf, proof), root);
}
