import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base58Encode } from './base58.js';
import { toHex } from './bytes.js';
import { datasetHash, encodeDataset, parseDataset, verifyDataset } from './dataset.js';
import { InvalidArgumentError } from './errors.js';
import { keccak256 } from './keccak.js';
import { globalLeavesFromEntries } from './merkle/global-leaves.js';
import { buildGlobalRootTree } from './merkle/global-tree.js';

const mint = new Uint8Array(32).fill(7);
const wallet = (i: number) => new Uint8Array(32).fill(i);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const v4Tree = () =>
  buildGlobalRootTree({
    mint,
    rootSeq: 4n,
    leaves: globalLeavesFromEntries('v4', [
      { wallet: wallet(9), cumulativeTotal: 900n },
      { wallet: wallet(2), cumulativeTotal: 18446744073709551615n },
    ]),
  });

describe('datasets', () => {
  it('writes the canonical V4 form: header, lines sorted by wallet bytes, LF endings', async () => {
    const file = encodeDataset(await v4Tree());
    expect(text(file)).toBe(
      [
        `attention-oracle-dataset v1 leaf=v4 mint=${base58Encode(mint)} root_seq=4 count=2`,
        `${base58Encode(wallet(2))},18446744073709551615`,
        `${base58Encode(wallet(9))},900`,
        '',
      ].join('\n'),
    );
    expect(await datasetHash(file)).toEqual(keccak256(file));
  });

  it('writes the V5 form with base yield and attention bonus', async () => {
    const tree = await buildGlobalRootTree({
      mint,
      rootSeq: 1n,
      leaves: globalLeavesFromEntries('v5', [{ wallet: wallet(1), baseYield: 0n, attentionBonus: 200n }]),
    });
    expect(text(encodeDataset(tree))).toBe(
      `attention-oracle-dataset v1 leaf=v5 mint=${base58Encode(mint)} root_seq=1 count=1\n${base58Encode(wallet(1))},0,200\n`,
    );
  });

  it('round-trips and rebuilds the same root', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom('v4', 'v5' as const),
        fc.bigInt({ min: 1n, max: 1000n }),
        async (n, version, rootSeq) => {
          const entries = Array.from({ length: n }, (_, i) => {
            const w = keccak256(`w${i}`);
            return version === 'v4'
              ? { wallet: w, cumulativeTotal: BigInt(i + 1) * 10n ** 9n }
              : { wallet: w, baseYield: BigInt(i), attentionBonus: 7n };
          });
          const tree = await buildGlobalRootTree({ mint, rootSeq, leaves: globalLeavesFromEntries(version, entries) });
          const file = encodeDataset(tree);
          const parsed = parseDataset(file);
          expect(parsed.rootSeq).toBe(rootSeq);
          expect(parsed.leaves).toEqual(tree.leaves);
          expect(encodeDataset(parsed)).toEqual(file);
          const verified = await verifyDataset(file, { root: tree.root, datasetHash: keccak256(file), mint, rootSeq });
          expect(verified).toMatchObject({ ok: true, problems: [], count: n, version });
          expect(verified.root).toEqual(tree.root);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('reports every mismatch with the expected values', async () => {
    const tree = await v4Tree();
    const file = encodeDataset(tree);
    const other = new Uint8Array(32).fill(1);
    const result = await verifyDataset(file, { root: other, datasetHash: other, mint: other, rootSeq: 5n });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      `root is ${toHex(tree.root)}, expected ${toHex(other)}`,
      `dataset_hash is ${toHex(keccak256(file))}, expected ${toHex(other)}`,
      `mint is ${toHex(mint)}, expected ${toHex(other)}`,
      'root_seq is 4, expected 5',
    ]);
  });

  it('rejects malformed files with the line at fault', async () => {
    const good = text(encodeDataset(await v4Tree()));
    const [header, first, second] = good.split('\n') as [string, string, string];
    const w2 = base58Encode(wallet(2));
    const cases: [string, string][] = [
      [good.replaceAll('\n', '\r\n'), 'dataset has CR characters: lines must end in LF only'],
      [good.slice(0, -1), 'dataset must end with a line feed after its last line'],
      [
        `${header.replace(' v1 ', ' v2 ')}\n${first}\n${second}\n`,
        `dataset line 1: expected "attention-oracle-dataset v1 leaf=<v4|v5> mint=<base58> root_seq=<n> count=<n>", got ${JSON.stringify(header.replace(' v1 ', ' v2 '))}`,
      ],
      [`${header}\n${first}\n`, 'dataset header says count=2 but 1 leaf lines follow'],
      [`${header}\n${second}\n${first}\n`, 'dataset line 3: wallets must be strictly ascending by bytes'],
      [`${header}\n${first}\n${first}\n`, 'dataset line 3: wallets must be strictly ascending by bytes'],
      [`${header}\n${w2},01\n${second}\n`, 'dataset line 2: amount "01" is not a plain decimal integer'],
      [`${header}\n${w2},-1\n${second}\n`, 'dataset line 2: amount "-1" is not a plain decimal integer'],
      [`${header}\n${w2},1.5\n${second}\n`, 'dataset line 2: amount "1.5" is not a plain decimal integer'],
      [
        `${header}\n${w2},18446744073709551616\n${second}\n`,
        'dataset line 2: amount 18446744073709551616 exceeds the u64 maximum',
      ],
      [
        `${header}\n${w2},5,6\n${second}\n`,
        `dataset line 2: expected 2 comma-separated fields for leaf=v4, got "${w2},5,6"`,
      ],
      [`${header}\n0${w2.slice(1)},5\n${second}\n`, 'dataset line 2: invalid base58 character "0" at 0'],
      [
        `${header}\n${w2.slice(1)},5\n${second}\n`,
        `dataset line 2: base58 value must decode to 32 bytes, got 31: ${w2.slice(1)}`,
      ],
      [`${header}\n${w2},0\n${second}\n`, `dataset: wallet ${w2} has a cumulative total of 0`],
      [`${header.replace('count=2', 'count=0')}\n`, 'dataset line 1: count must be 1..2^24'],
      [
        `${header.replace('root_seq=4', 'root_seq=0')}\n${first}\n${second}\n`,
        'dataset line 1: root_seq must be 1..2^64-1',
      ],
    ];
    for (const [file, message] of cases) {
      expect(() => parseDataset(file), message).toThrow(new InvalidArgumentError(message));
    }
    expect(() => parseDataset(new Uint8Array([0xff, 0x0a]))).toThrow(TypeError);
  });
});
