import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBulkKeccak } from './fast-keccak.js';
import { keccak256 } from './keccak.js';
import { globalLeavesFromEntries } from './merkle/global-leaves.js';
import { buildGlobalRootTree } from './merkle/global-tree.js';
import { buildMerkleTree } from './merkle/tree.js';
import { createParallelTreeBuilder, type ParallelTreeBuilder } from './node.js';

describe('bulk hashing and the parallel builder', () => {
  let builder: ParallelTreeBuilder;
  beforeAll(async () => {
    builder = await createParallelTreeBuilder({ threads: 2 });
  });
  afterAll(() => builder.close());

  it('the bulk hasher gives the same bytes as @noble/hashes', async () => {
    const bulk = await createBulkKeccak();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (input) => {
        const out = new Uint8Array(40);
        bulk.hashInto(input, out, 8);
        expect(out.subarray(8)).toEqual(keccak256(input));
        expect(bulk.hash(input)).toEqual(keccak256(input));
      }),
      { numRuns: 500 },
    );
  });

  it('builds byte-identical trees to the in-thread builder', async () => {
    for (const n of [1, 2, 3, 4095, 4096, 4097, 50_001]) {
      const leaves = globalLeavesFromEntries(
        'v4',
        Array.from({ length: n }, (_, i) => ({ wallet: keccak256(`w${i}`), cumulativeTotal: BigInt(i + 1) })),
      );
      const mint = new Uint8Array(32).fill(7);
      const [serial, parallel] = await Promise.all([
        buildGlobalRootTree({ mint, rootSeq: 2n, leaves }),
        buildGlobalRootTree({ mint, rootSeq: 2n, leaves }, builder),
      ]);
      expect(Buffer.from(parallel.merkle.nodes).equals(Buffer.from(serial.merkle.nodes)), `n=${n}`).toBe(true);
      const raw = await buildMerkleTree(serial.merkle.nodes.slice(0, n * 32), builder);
      expect(raw.root).toEqual(serial.root);
    }
  });

  it('refuses memory it did not allocate and work after close', async () => {
    const other = await createParallelTreeBuilder({ threads: 1 });
    const leaves = new Uint8Array(5000 * 32).fill(1);
    await expect(buildMerkleTree(leaves, { allocate: (n) => new Uint8Array(n), build: other.build })).rejects.toThrow(
      'allocate tree memory with this builder',
    );
    await other.close();
    await expect(buildMerkleTree(leaves, other)).rejects.toThrow('this tree builder is closed');
    await expect(createParallelTreeBuilder({ threads: 0 })).rejects.toThrow('threads must be 1..64, got 0');
  });
});
