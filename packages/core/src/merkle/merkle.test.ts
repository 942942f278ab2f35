import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { keccak256 } from '../keccak.js';
import { MAX_LEAVES, treeLayout } from './layout.js';
import { buildMerkleTree, MerkleTree } from './tree.js';
import { hashPair, processProof, verifyProof } from './verify.js';

const leafHashes = (seed: number, n: number) => {
  const out = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) out.set(keccak256(`leaf ${seed} ${i}`), i * 32);
  return out;
};

describe('merkle tree', () => {
  it('every leaf of random trees of 1..2000 leaves is provable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), fc.integer(), async (n, seed) => {
        const tree = await buildMerkleTree(leafHashes(seed, n));
        expect(tree.depth).toBe(Math.ceil(Math.log2(n)));
        for (let i = 0; i < n; i++) expect(verifyProof(tree.leaf(i), tree.proof(i), tree.root)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('proofBytes is the proof as one fresh buffer, leaf to root', async () => {
    for (const n of [1, 2, 3, 7, 64, 1001]) {
      const tree = await buildMerkleTree(leafHashes(n, n));
      for (const i of new Set([0, 1 % n, n >> 1, n - 1])) {
        const bytes = tree.proofBytes(i);
        expect(bytes.length).toBe(tree.depth * 32);
        expect([...bytes]).toEqual(tree.proof(i).flatMap((sibling) => [...sibling]));
        bytes.fill(0); // a copy: changing it leaves the tree alone
        expect(verifyProof(tree.leaf(i), tree.proof(i), tree.root)).toBe(true);
      }
      expect(() => tree.proofBytes(n)).toThrow(InvalidArgumentError);
    }
  });

  it('any changed byte in a leaf, a proof sibling or the root fails verification', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 2000 }),
        fc.integer(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (n, seed, pick, byte, flip) => {
          const tree = await buildMerkleTree(leafHashes(seed, n));
          const index = pick % n;
          const leaf = tree.leaf(index);
          const proof = tree.proof(index);
          const root = tree.root;
          const where = byte % (32 * (proof.length + 2));
          const part = Math.floor(where / 32);
          const target = part === 0 ? leaf : part === 1 ? root : (proof[part - 2] as Uint8Array);
          target[where % 32] = (target[where % 32] as number) ^ flip;
          expect(verifyProof(leaf, proof, root)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('pairs nodes as min || max and an odd last node with itself', async () => {
    const [a, b, c] = [keccak256('a'), keccak256('b'), keccak256('c')];
    const tree = await buildMerkleTree(new Uint8Array([...a, ...b, ...c]));
    expect(tree.root).toEqual(hashPair(hashPair(a, b), hashPair(c, c)));
    expect(hashPair(a, b)).toEqual(hashPair(b, a));
    expect(tree.proof(2)).toEqual([c, hashPair(a, b)]);
  });

  it('builds the same tree from the same leaves every time', async () => {
    const leaves = leafHashes(7, 777);
    const [one, two] = await Promise.all([buildMerkleTree(leaves), buildMerkleTree(leaves.slice())]);
    expect(one.nodes).toEqual(two.nodes);
  });

  it('a single leaf is its own root with an empty proof', async () => {
    const leaf = keccak256('only');
    const tree = await buildMerkleTree(leaf);
    expect(tree.root).toEqual(leaf);
    expect(tree.proof(0)).toEqual([]);
  });

  it('rejects bad input with clear errors', async () => {
    await expect(buildMerkleTree(new Uint8Array(0))).rejects.toThrow(
      new InvalidArgumentError('a tree needs at least one leaf, got 0'),
    );
    await expect(buildMerkleTree(new Uint8Array(33))).rejects.toThrow(
      new InvalidArgumentError('leaf hashes must be 32 bytes each, got 33 bytes'),
    );
    expect(() => treeLayout(MAX_LEAVES + 1)).toThrow(
      new InvalidArgumentError('a tree holds at most 2^24 (16777216) leaves, got 16777217'),
    );
    expect(treeLayout(MAX_LEAVES).depth).toBe(24);
    const tree = await buildMerkleTree(leafHashes(1, 3));
    expect(() => tree.proof(3)).toThrow(new InvalidArgumentError('leaf index 3 is out of range 0..2'));
    expect(() =>
      processProof(
        tree.leaf(0),
        Array.from({ length: 33 }, () => new Uint8Array(32)),
      ),
    ).toThrow(new InvalidArgumentError('proof has 33 siblings; the program accepts at most 32'));
    expect(() => processProof(tree.leaf(0), [new Uint8Array(31)])).toThrow(
      new InvalidArgumentError('proof sibling 0 must be 32 bytes'),
    );
    expect(() => verifyProof(tree.leaf(0), [], new Uint8Array(1))).toThrow(
      new InvalidArgumentError('root must be 32 bytes'),
    );
  });

  it('accepts proofs of exactly 32 siblings', () => {
    const proof = Array.from({ length: 32 }, (_, i) => keccak256(`s${i}`));
    const leaf = keccak256('leaf');
    expect(verifyProof(leaf, proof, processProof(leaf, proof))).toBe(true);
  });

  it('a tree without its leaf level recomputes leaves and gives the same root, leaves and proofs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 600 }), fc.integer(), async (n, seed) => {
        const hashes = leafHashes(seed, n);
        const full = await buildMerkleTree(hashes);
        let recomputed = 0;
        const upper = new MerkleTree(full.layout, full.upperLevels.slice(), (index, out, offset) => {
          recomputed++;
          out.set(hashes.subarray(index * 32, index * 32 + 32), offset);
        });
        expect(upper.keepsLeaves).toBe(false);
        expect(upper.root).toEqual(full.root);
        for (let i = 0; i < n; i++) {
          expect(upper.leaf(i)).toEqual(full.leaf(i));
          expect(upper.proofBytes(i)).toEqual(full.proofBytes(i));
        }
        expect(recomputed).toBeGreaterThan(0);
      }),
      { numRuns: 30 },
    );
    const full = await buildMerkleTree(leafHashes(2, 5));
    expect(() => new MerkleTree(full.layout, full.nodes, () => {})).toThrow(
      new InvalidArgumentError(`node buffer must be ${(full.layout.totalNodes - 5) * 32} bytes`),
    );
  });

  it('writeProof fills a reused buffer, aligned or not, with what proofBytes returns', async () => {
    const tree = await buildMerkleTree(leafHashes(3, 1001));
    const aligned = new Uint8Array(tree.depth * 32 + 8);
    const unaligned = new Uint8Array(tree.depth * 32 + 8).subarray(1);
    for (const i of [0, 1, 500, 1000]) {
      for (const out of [aligned, unaligned]) {
        expect(tree.writeProof(i, out)).toBe(tree.depth * 32);
        expect(out.subarray(0, tree.depth * 32)).toEqual(tree.proofBytes(i));
      }
    }
    expect(() => tree.writeProof(0, new Uint8Array(tree.depth * 32 - 1))).toThrow(
      new InvalidArgumentError(`a proof of this tree needs ${tree.depth * 32} bytes`),
    );
  });
});
