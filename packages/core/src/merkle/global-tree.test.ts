import fc from 'fast-check';
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
          expect(loaded.merkle.nodes).toEqual(tree.merkle.nodes);
          const i = n - 1;
          expect(loaded.proof(i)).toEqual(tree.proof(i));
          expect(loaded.entry(i)).toEqual(tree.entry(i));
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
      future[6] = 2;
      await expectError(future, 'its format 2 is not supported (this library reads 1)');
      const foreign = artifact.slice();
      foreign[0] = 0x50;
      await expectError(foreign, 'it does not start with "AOTREE"');
      const damaged = artifact.slice();
      damaged[artifact.length - 100] = (damaged[artifact.length - 100] as number) ^ 1;
      await expectError(damaged, 'its checksum does not match (the file is damaged)');
    });
  });
});
