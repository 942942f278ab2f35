import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base58Encode } from './base58.js';
import { U64_MAX } from './bytes.js';
import { encodeDataset } from './dataset.js';
import type { GlobalLeaves } from './merkle/global-leaves.js';
import { buildGlobalRootTree, type GlobalRootTree } from './merkle/global-tree.js';

const mint = new Uint8Array(32).fill(3);

/** Leaves from arbitrary wallets (leading zero bytes included) and amounts (both sides of 2^53, up to u64 max). */
const walletArbitrary = fc
  .tuple(fc.integer({ min: 0, max: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([zeros, bytes]) => Uint8Array.from(bytes).fill(0, 0, zeros));
const amountArbitrary = fc.oneof(
  fc.bigInt({ min: 1n, max: 2n ** 53n + 10n }),
  fc.bigInt({ min: 1n, max: U64_MAX / 2n }),
);
const leavesArbitrary = (version: 'v4' | 'v5') =>
  fc
    .uniqueArray(fc.tuple(walletArbitrary, amountArbitrary, amountArbitrary), {
      minLength: 1,
      maxLength: 40,
      selector: ([w]) => Buffer.from(w).toString('hex'),
    })
    .map((rows): GlobalLeaves => {
      const width = version === 'v4' ? 8 : 16;
      const wallets = new Uint8Array(rows.length * 32);
      const amounts = new Uint8Array(rows.length * width);
      const view = new DataView(amounts.buffer);
      rows.forEach(([bytes, a, b], i) => {
        wallets.set(bytes, i * 32);
        view.setBigUint64(i * width, a, true);
        if (version === 'v5') view.setBigUint64(i * width + 8, b, true);
      });
      return { version, wallets, amounts };
    });

/** The dataset written the obvious way: one string per line, base58 and BigInt formatting from the library. */
function reference(tree: GlobalRootTree): string {
  const { leaves, count } = tree;
  const view = new DataView(leaves.amounts.buffer, leaves.amounts.byteOffset, leaves.amounts.byteLength);
  const lines = [
    `attention-oracle-dataset v1 leaf=${leaves.version} mint=${base58Encode(tree.mint)} root_seq=${tree.rootSeq} count=${count}`,
  ];
  for (let i = 0; i < count; i++) {
    const wallet = base58Encode(leaves.wallets.subarray(i * 32, i * 32 + 32));
    lines.push(
      leaves.version === 'v4'
        ? `${wallet},${view.getBigUint64(i * 8, true)}`
        : `${wallet},${view.getBigUint64(i * 16, true)},${view.getBigUint64(i * 16 + 8, true)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('encodeDataset (the direct buffer writer)', () => {
  it.each(['v4', 'v5'] as const)('writes exactly the obvious line-by-line encoding (%s)', async (version) => {
    await fc.assert(
      fc.asyncProperty(leavesArbitrary(version), fc.bigInt({ min: 1n, max: U64_MAX }), async (leaves, rootSeq) => {
        const tree = await buildGlobalRootTree({ mint, rootSeq, leaves });
        expect(Buffer.from(encodeDataset(tree)).toString()).toBe(reference(tree));
      }),
      { numRuns: 200 },
    );
  });

  it('handles the extremes: the zero-prefixed and all-0xff wallets, amounts 1, 2^53 and u64 max', async () => {
    const wallets = new Uint8Array(3 * 32);
    wallets[31] = 1; // 31 zero bytes, then 1
    wallets.fill(0xff, 64, 96);
    wallets[32] = 0x80;
    const amounts = new Uint8Array(24);
    const view = new DataView(amounts.buffer);
    for (const [i, amount] of [1n, 2n ** 53n, U64_MAX].entries()) view.setBigUint64(i * 8, amount, true);
    const tree = await buildGlobalRootTree({ mint, rootSeq: 9n, leaves: { version: 'v4', wallets, amounts } });
    const text = Buffer.from(encodeDataset(tree)).toString();
    expect(text).toBe(reference(tree));
    expect(text.split('\n').slice(1, 4)).toEqual([
      `${'1'.repeat(31)}2,1`,
      expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{43,44},9007199254740992$/),
      expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{44},18446744073709551615$/),
    ]);
  });
});
