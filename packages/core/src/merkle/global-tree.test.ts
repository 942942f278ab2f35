import fc from 'fast-check';
import { createXXHash64 } from 'hash-wasm';
import { describe, expect, it } from 'vitest';
import { base58Encode } from '../base58.js';
import { compareBytes, U64_MAX } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { keccak256 } from '../keccak.js';
import { globalV4LeafHash, globalV5LeafHash } from '../leaf.js';
import { globalLeavesFromEntries } from './global-leaves.js';
import { buildGlobalRootTree, GlobalRootTree } from './global-tree.js';
import { verifyProof } from './verify.js';

const mint = new Uint8Array(32).fill(7);
const walletArb = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('global root tree', () => {
  it('sorts leaves by wallet bytes and proves every wallet, V4 and V5', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(walletArb, { minLength: 1, maxLength: 300, selector: (w) => base58Encode(w) }),
        fc.bigInt({ min: 1n, max: 2n ** 62n }),
        async (wallets, seq) => {
          const v4 = await buildGlobalRootTree({
            mint,
            rootSeq: seq,
            leaves: globalLeavesFromEntries(
              'v4',
              wallets.map((wallet, i) => ({ wallet, cumulativeTotal: BigInt(i + 1) })),
            ),
          });
          const sorted = [...wallets].sort(compareBytes);
          for (const [i, wallet] of sorted.entries()) {
            const found = v4.proofForWallet(wallet);
            expect(found?.index).toBe(i);
            const total = BigInt(wallets.indexOf(wallet) + 1);
            expect(found?.entry.cumulativeTotal).toBe(total);
            expect(verifyProof(globalV4LeafHash(mint, seq, wallet, total), found?.proof ?? [], v4.root)).toBe(true);
          }
          const v5 = await buildGlobalRootTree({
            mint,
            rootSeq: seq,
            leaves: globalLeavesFromEntries(
              'v5',
              wallets.map((wallet, i) => ({ wallet, baseYield: BigInt(i), attentionBonus: 5n })),
            ),
          });
          const wallet = wallets[0] as Uint8Array;
          const found = v5.proofForWallet(wallet);
          expect(found?.entry).toMatchObject({ baseYield: 0n, attentionBonus: 5n, cumulativeTotal: 5n });
          expect(verifyProof(globalV5LeafHash(mint, seq, wallet, 0n, 5n), found?.proof ?? [], v5.root)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('answers null for a wallet without a leaf', async () => {
    const tree = await buildGlobalRootTree({
      mint,
      rootSeq: 1n,
      leaves: globalLeavesFromEntries('v4', [{ wallet: new Uint8Array(32).fill(1), cumulativeTotal: 1n }]),
    });
    expect(tree.proofForWallet(new Uint8Array(32).fill(2))).toBeNull();
    expect(tree.indexOf(new Uint8Array(32))).toBe(-1);
  });

  it('rejects duplicates, zero totals, V5 overflow, a zero root_seq and wrong shapes', async () => {
    const w = new Uint8Array(32).fill(3);
    const name = base58Encode(w);
    const build = async (
      leaves: Parameters<typeof globalLeavesFromEntries>[1],
      version: 'v4' | 'v5' = 'v4',
      rootSeq = 1n,
    ) => buildGlobalRootTree({ mint, rootSeq, leaves: globalLeavesFromEntries(version, leaves) });
    await expect(
      build([
        { wallet: w, cumulativeTotal: 1n },
        { wallet: w, cumulativeTotal: 2n },
      ]),
    ).rejects.toThrow(new InvalidArgumentError(`wallet ${name} appears twice; each wallet has one leaf`));
    await expect(build([{ wallet: w, cumulativeTotal: 0n }])).rejects.toThrow(
      new InvalidArgumentError(`wallet ${name} has a cumulative total of 0`),
    );
    await expect(build([{ wallet: w, baseYield: U64_MAX, attentionBonus: 1n }], 'v5')).rejects.toThrow(
      new InvalidArgumentError(`wallet ${name} has base_yield + attention_bonus above the u64 maximum`),
    );
    await expect(build([{ wallet: w, cumulativeTotal: U64_MAX + 1n }])).rejects.toThrow(
      new InvalidArgumentError(`entry 0 cumulative_total must be a u64 (0..2^64-1), got ${U64_MAX + 1n}`),
    );
    await expect(build([{ wallet: w, cumulativeTotal: 1n }], 'v4', 0n)).rejects.toThrow(
      new InvalidArgumentError('root_seq starts at 1'),
    );
    await expect(build([{ wallet: new Uint8Array(31), cumulativeTotal: 1n }])).rejects.toThrow(
      new InvalidArgumentError('entry 0 wallet must be 32 bytes, got 31'),
    );
    await expect(build([])).rejects.toThrow(
      new InvalidArgumentError('a root needs at least one wallet with a positive total'),
    );
    await expect(build([{ wallet: w, baseYield: 1n, attentionBonus: 1n }])).rejects.toThrow(
      new InvalidArgumentError('entry 0 needs cumulativeTotal for a V4 leaf'),
    );
  });

  it('sorts wallets that share long prefixes correctly', async () => {
    // Wallets equal in their first 29 bits exercise the tie-breaking pass of the fast sort.
    const wallets = Array.from({ length: 500 }, (_, i) => {
      const w = new Uint8Array(32).fill(0xab);
      w[4] = (i * 37) % 256;
      w[31] = i % 7;
      w[30] = Math.floor(i / 256);
      return w;
    });
    const tree = await buildGlobalRootTree({
      mint,
      rootSeq: 1n,
      leaves: globalLeavesFromEntries(
        'v4',
        wallets.map((wallet) => ({ wallet, cumulativeTotal: 1n })),
      ),
    });
    const sorted = [...wallets].sort(compareBytes);
    for (const [i, w] of sorted.entries()) expect(tree.entry(i).wallet).toEqual(w);
  });

  it('finds every wallet through the prefix index, and no absent one, at every index size', async () => {
    // Sizes around the index's steps (no index below 16 leaves, 16 bits from 2^19), with wallets crowded into a few
    // prefixes next to evenly spread ones, and absent wallets before, between and after them.
    for (const count of [1, 15, 16, 17, 300, 4096, 70_000, 2 ** 19 + 3]) {
      const wallets: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const w = keccak256(`wallet ${count} ${i}`);
        if (i % 3 === 0) w.set([0x80, 0x00, i % 5], 0); // shared 16-bit prefixes
        if (i % 3 === 0) w.set([i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff], 3); // still distinct
        wallets.push(w);
      }
      const tree = await buildGlobalRootTree({
        mint,
        rootSeq: 1n,
        leaves: globalLeavesFromEntries(
          'v4',
          wallets.map((wallet) => ({ wallet, cumulativeTotal: 1n })),
        ),
      });
      const step = Math.max(1, Math.floor(count / 2000));
      for (let i = 0; i < count; i += step) expect(tree.indexOf(tree.entry(i).wallet)).toBe(i);
      const absent: Uint8Array[] = [
        new Uint8Array(32),
        new Uint8Array(32).fill(0xff),
        Uint8Array.of(0x80, 0, 0, ...new Uint8Array(29)),
      ];
      for (let i = 0; i < count; i += step * 7) {
        const w = tree.entry(i).wallet;
        w[31] = (w[31] as number) ^ 1; // a neighbour of a stored wallet
        absent.push(w);
      }
      const stored = new Set(wallets.map((w) => base58Encode(w)));
      for (const w of absent) if (!stored.has(base58Encode(w))) expect(tree.indexOf(w)).toBe(-1);
    }
  }, 60_000);

  describe('artifact', () => {
    const sample = () =>
      buildGlobalRootTree({
        mint,
        rootSeq: 9n,
        leaves: globalLeavesFromEntries(
          'v5',
          Array.from({ length: 37 }, (_, i) => ({
            wallet: new Uint8Array(32).fill(i + 1),
            baseYield: BigInt(i),
            attentionBonus: 1n,
          })),
        ),
      });

    it('round-trips through dump and load', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 400 }), fc.constantFrom('v4', 'v5' as const), async (n, version) => {
          const entries = Array.from({ length: n }, (_, i) => {
            const wallet = new Uint8Array(32);
            new DataView(wallet.buffer).setUint32(0, (i * 2654435761) >>> 0);
            return version === 'v4'
              ? { wallet, cumulativeTotal: BigInt(i + 1) }
              : { wallet, baseYield: BigInt(i), attentionBonus: 1n };
          });
          const tree = await buildGlobalRootTree({
            mint,
            rootSeq: 3n,
            leaves: globalLeavesFromEntries(version, entries),
          });
          const loaded = await GlobalRootTree.load(await tree.dump());
          expect(loaded.root).toEqual(tree.root);
          expect(loaded.rootSeq).toBe(3n);
          expect(loaded.mint).toEqual(mint);
          expect(loaded.version).toBe(version);
          // The loaded tree keeps the levels above the leaves and recomputes leaves: every leaf and proof agree.
          expect(loaded.merkle.keepsLeaves).toBe(false);
          expect(loaded.merkle.upperLevels).toEqual(tree.merkle.upperLevels);
          for (let i = 0; i < n; i++) {
            expect(loaded.merkle.leaf(i)).toEqual(tree.merkle.leaf(i));
            expect(loaded.proofBytes(i)).toEqual(tree.proofBytes(i));
          }
          expect(loaded.entry(n - 1)).toEqual(tree.entry(n - 1));
          // A loaded tree dumps the same artifact again.
          expect(await loaded.dump()).toEqual(await tree.dump());
        }),
        { numRuns: 25 },
      );
    });

    it('rejects any corrupted byte', async () => {
      const artifact = await (await sample()).dump();
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: artifact.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
          const damaged = artifact.slice();
          damaged[at] = (damaged[at] as number) ^ flip;
          await expect(GlobalRootTree.load(damaged)).rejects.toThrow(InvalidArgumentError);
        }),
        { numRuns: 300 },
      );
    });

    it('names what is wrong', async () => {
      const artifact = await (await sample()).dump();
      const expectError = (bytes: Uint8Array, problem: string) =>
        expect(GlobalRootTree.load(bytes)).rejects.toThrow(
          new InvalidArgumentError(`not a valid tree artifact: ${problem}`),
        );
      await expectError(artifact.slice(0, 50), 'it is shorter than its 96-byte header');
      await expectError(artifact.slice(0, -1), `it is ${artifact.length - 1} bytes; 37 leaves need ${artifact.length}`);
      const future = artifact.slice();
      future[6] = 3;
      await expectError(
        future,
        "its format 3 is not supported (this library reads formats 1 and 2; rebuild the root's artifact with it)",
      );
      const foreign = artifact.slice();
      foreign[0] = 0x50;
      await expectError(foreign, 'it does not start with "AOTREE"');
      const damaged = artifact.slice();
      damaged[artifact.length - 100] = (damaged[artifact.length - 100] as number) ^ 1;
      await expectError(damaged, 'its checksum does not match (the file is damaged)');
    });

    it('stores no leaf level: a format 2 artifact is 32 bytes per leaf smaller than every level', async () => {
      const tree = await sample();
      const artifact = await tree.dump();
      expect(new DataView(artifact.buffer).getUint16(6, true)).toBe(2);
      expect(artifact.length).toBe(96 + 37 * (32 + 16) + (tree.merkle.layout.totalNodes - 37) * 32);
    });

    it('refuses leaves that do not hash to their level-1 node, even with a valid checksum', async () => {
      const artifact = await (await sample()).dump();
      for (const [at, problem] of [
        [96 + 37 * 32 + 3, 'its leaves 0..1 do not hash to their parent node'], // leaf 0's base yield
        [96 + 37 * 32 - 1, 'its leaves 36..36 do not hash to their parent node'], // the last wallet, still sorted
      ] as const) {
        const forged = artifact.slice();
        forged[at] = (forged[at] as number) ^ 1;
        await expect(GlobalRootTree.load(await withChecksum(forged))).rejects.toThrow(
          new InvalidArgumentError(`not a valid tree artifact: ${problem}`),
        );
      }
    });

    it('loads a format 1 artifact (leaf level stored) into the same tree, and refuses one whose leaves disagree', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 200 }), fc.constantFrom('v4', 'v5' as const), async (n, version) => {
          const entries = Array.from({ length: n }, (_, i) => {
            const wallet = new Uint8Array(32);
            new DataView(wallet.buffer).setUint32(0, (i * 2654435761) >>> 0);
            return version === 'v4'
              ? { wallet, cumulativeTotal: BigInt(i + 5) }
              : { wallet, baseYield: BigInt(i), attentionBonus: 3n };
          });
          const tree = await buildGlobalRootTree({
            mint,
            rootSeq: 6n,
            leaves: globalLeavesFromEntries(version, entries),
          });
          const old = await formatOne(tree);
          const loaded = await GlobalRootTree.load(old);
          expect(loaded.root).toEqual(tree.root);
          expect(loaded.version).toBe(version);
          expect(loaded.merkle.keepsLeaves).toBe(false);
          for (let i = 0; i < n; i++) {
            expect(loaded.proofBytes(i)).toEqual(tree.proofBytes(i));
            expect(loaded.entry(i)).toEqual(tree.entry(i));
          }
          // Re-dumped in the current format, byte for byte what the built tree dumps.
          expect(await loaded.dump()).toEqual(await tree.dump());
          const amountsAt = 96 + n * 32;
          const forged = old.slice();
          forged[amountsAt] = (forged[amountsAt] as number) ^ 1; // leaf 0's first amount byte
          await expect(GlobalRootTree.load(await withChecksum(forged))).rejects.toThrow(
            new InvalidArgumentError('not a valid tree artifact: its leaf 0 does not hash to its wallet and amounts'),
          );
        }),
        { numRuns: 20 },
      );
    });
  });
});

/** `artifact` with its checksum recomputed, so that a test can forge a body the checksum does not catch. */
async function withChecksum(artifact: Uint8Array): Promise<Uint8Array> {
  const xxhash = await createXXHash64();
  xxhash.init();
  xxhash.update(artifact.subarray(0, 88));
  xxhash.update(artifact.subarray(96));
  const out = artifact.slice();
  out.set(xxhash.digest('binary'), 88);
  return out;
}

/** The artifact of `tree` in format 1 (as written before format 2): the same header, the leaf level stored too. */
async function formatOne(tree: GlobalRootTree): Promise<Uint8Array> {
  const current = await tree.dump();
  const { leaves, merkle } = tree;
  const body = 96 + leaves.wallets.length + leaves.amounts.length;
  const old = new Uint8Array(body + merkle.layout.totalNodes * 32);
  old.set(current.subarray(0, body), 0);
  new DataView(old.buffer).setUint16(6, 1, true);
  for (let i = 0; i < tree.count; i++) old.set(merkle.leaf(i), body + i * 32);
  old.set(merkle.upperLevels, body + tree.count * 32);
  return withChecksum(old);
}
