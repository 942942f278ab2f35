import { describe, expect, it } from 'vitest';
import {
  base58Decode,
  base58Encode,
  buildGlobalRootTree,
  buildMerkleTree,
  channelSubject,
  concatBytes,
  fromHex,
  globalLeavesFromEntries,
  globalV4LeafHash,
  globalV5LeafHash,
  keccak256,
  legacyLoginKey,
  toHex,
  userKey,
  verifyProof,
} from '../src/index.js';
import { vectors } from './vectors.js';

describe('shared vectors (attention-oracle-vectors/v1)', () => {
  it('is the format this code implements', () => {
    expect(vectors.format).toBe('attention-oracle-vectors/v1');
  });

  it('keccak256', () => {
    for (const v of vectors.keccak256) expect(toHex(keccak256(v.input_utf8))).toBe(v.hash);
  });

  it('identity keys', () => {
    for (const v of vectors.user_key) expect(toHex(userKey(v.twitch_user_id))).toBe(v.hash);
    for (const v of vectors.login_hash) expect(toHex(legacyLoginKey(v.login))).toBe(v.hash);
    for (const v of vectors.channel_subject) {
      expect(toHex(channelSubject(v.channel))).toBe(v.hex);
      expect(base58Encode(channelSubject(v.channel))).toBe(v.base58);
      expect(toHex(base58Decode(v.base58, 32))).toBe(v.hex);
    }
  });

  it('Global V4 and V5 leaves', () => {
    for (const v of vectors.global_v4_leaf) {
      const hash = globalV4LeafHash(
        fromHex(v.mint_hex),
        BigInt(v.root_seq),
        fromHex(v.wallet_hex),
        BigInt(v.cumulative_total),
      );
      expect(toHex(hash)).toBe(v.hash);
    }
    for (const v of vectors.global_v5_leaf) {
      const hash = globalV5LeafHash(
        fromHex(v.mint_hex),
        BigInt(v.root_seq),
        fromHex(v.wallet_hex),
        BigInt(v.base_yield),
        BigInt(v.attention_bonus),
      );
      expect(toHex(hash)).toBe(v.hash);
    }
  });

  // "leaf i (0-based) = global_v4_leaf(mint=0x07*32, root_seq=1, wallet=byte(i+1)*32, total=1000*(i+1))"
  const mint = new Uint8Array(32).fill(7);
  const entries = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      wallet: new Uint8Array(32).fill(i + 1),
      cumulativeTotal: 1000n * BigInt(i + 1),
    }));

  for (const [size, tree] of Object.entries(vectors.trees_v4)) {
    it(`V4 tree of ${size} leaves: root and every proof`, async () => {
      const n = Number(size);
      const built = await buildGlobalRootTree({ mint, rootSeq: 1n, leaves: globalLeavesFromEntries('v4', entries(n)) });
      expect(toHex(built.root)).toBe(tree.root);
      const raw = await buildMerkleTree(
        concatBytes(...entries(n).map((e) => globalV4LeafHash(mint, 1n, e.wallet, e.cumulativeTotal))),
      );
      expect(toHex(raw.root)).toBe(tree.root);
      tree.proofs.forEach((proof, i) => {
        expect(built.proof(i).map(toHex)).toEqual(proof);
        expect(
          verifyProof(
            built.merkle.leaf(i),
            proof.map((p) => fromHex(p)),
            fromHex(tree.root),
          ),
        ).toBe(true);
      });
    });
  }

  it('base58 of the program addresses round-trips', () => {
    const { program_id, mint: mintAddress, pda_protocol_state } = vectors.program;
    for (const address of [program_id, mintAddress, pda_protocol_state.address]) {
      expect(base58Encode(base58Decode(address, 32))).toBe(address);
    }
  });
});
