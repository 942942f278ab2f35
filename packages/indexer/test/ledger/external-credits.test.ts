import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base58Encode, createBulkKeccak, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/epochs/index.js';
import { bindWallet, creditSealedEpochs, importExternalCredits, walletEntitlement } from '../../src/ledger/index.js';
import { backends, E, sealWith, useLedgerDatabase, wallet } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ao-external-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** Writes a file of `lines` with `ending` after each, and returns its path. */
const file = (lines: string[], ending = '\n') => {
  const path = join(dir, `${++files}-base-yield.csv`);
  writeFileSync(path, lines.map((line) => `${line}${ending}`).join(''));
  return path;
};
const A = base58Encode(wallet(1));
const B = base58Encode(wallet(2));
const C = base58Encode(wallet(3));
const opts = (rootSeq: bigint) => ({ rootSeq, source: 'v5-yield', actor: 'cli:alice' });

describe.each(backends)('external credit imports on %s', (_, open) => {
  const db = useLedgerDatabase(open);
  const stored = () =>
    db().query(sql`select root_seq::text as seq, encode(wallet, 'hex') as w, base_yield::text as y
      from external_credits order by root_seq, wallet`);

  it('imports wallet,base_yield (LF or CRLF) per root, and a second import of the same file is a no-op', async () => {
    const path = file(['wallet,base_yield', `${A},100`, `${B},18446744073709551615`, `${C},0`], '\r\n');
    const progress: [number, number][] = [];
    const result = await importExternalCredits(db(), path, {
      ...opts(3n),
      onProgress: (done, total) => progress.push([done, total]),
    });
    const hash = toHex((await createBulkKeccak()).hash(readFileSync(path)));
    expect(result).toEqual({ rootSeq: 3n, imported: true, wallets: 3, total: 18446744073709551715n, fileHash: hash });
    expect(progress).toEqual([[3, 3]]);
    expect(await stored()).toEqual([
      { seq: '3', w: toHex(wallet(1)), y: '100' },
      { seq: '3', w: toHex(wallet(2)), y: '18446744073709551615' },
      { seq: '3', w: toHex(wallet(3)), y: '0' },
    ]);
    expect(await importExternalCredits(db(), path, opts(3n))).toEqual({ ...result, imported: false });
    const [row] = await db().query(sql`select source, file_hash, wallets, total::text as total, imported_by
      from external_credit_imports`);
    expect(row).toEqual({
      source: 'v5-yield',
      file_hash: hash,
      wallets: 3,
      total: '18446744073709551715',
      imported_by: 'cli:alice',
    });
    expect(
      await db().query(sql`select count(*)::int as n from audit_log where action = 'external-credits.imported'`),
    ).toEqual([{ n: 1 }]);
  });

  it('rejects a different file for a root already imported, and roots out of order', async () => {
    await importExternalCredits(db(), file(['wallet,base_yield', `${A},100`]), opts(3n));
    const other = file(['wallet,base_yield', `${A},101`]);
    await expect(importExternalCredits(db(), other, opts(3n))).rejects.toThrow(
      /root seq 3 already has external credits from v5-yield .* cannot replace them/,
    );
    await expect(importExternalCredits(db(), other, opts(2n))).rejects.toThrow(
      'root seq 2 is before the newest import, root seq 3',
    );
    expect(await stored()).toEqual([{ seq: '3', w: toHex(wallet(1)), y: '100' }]);
  });

  it('rejects a base yield below its earlier value, listing the first offenders with their lines', async () => {
    await importExternalCredits(db(), file(['wallet,base_yield', `${A},100`, `${B},50`]), opts(1n));
    await importExternalCredits(db(), file(['wallet,base_yield', `${A},120`]), opts(2n)); // B keeps 50
    const lower = file(['wallet,base_yield', `${C},1`, `${A},119`, `${B},49`]);
    const error = await importExternalCredits(db(), lower, opts(4n)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toBe(
      `${lower}:3: base_yield is cumulative but 2 wallet(s) are below their earlier value: line 3 ${A}: 119 < 120 (root seq 2); line 4 ${B}: 49 < 50 (root seq 1)`,
    );
    expect(await db().query(sql`select root_seq::text as s from external_credit_imports order by root_seq`)).toEqual([
      { s: '1' },
      { s: '2' },
    ]);
  });

  it.each([
    [['wallet,amount'], 1, 'expected the header wallet,base_yield, got "wallet,amount"'],
    [[], 1, 'the file has no header line'],
    [['wallet,base_yield', `${A},1,2`], 2, 'expected 2 fields (wallet,base_yield), got 3'],
    [['wallet,base_yield', `${A},1`, 'abc0,1'], 3, 'wallet: invalid base58 character "0"'],
    [['wallet,base_yield', '11111,1'], 2, 'wallet: base58 value must decode to 32 bytes, got 5'],
    [['wallet,base_yield', `${A},-1`], 2, 'base_yield must be a whole number of base units from 0 to 2^64-1, got "-1"'],
    [['wallet,base_yield', `${A},18446744073709551616`], 2, 'base_yield must be a whole number'],
    [['wallet,base_yield', `${A},01`], 2, 'base_yield must be a whole number'],
    [['wallet,base_yield', `${A},1`, '', `${A},2`], 4, `wallet ${A} is already on line 2`],
    [['wallet,base_yield', `${A},1 `], 2, 'base_yield must be a whole number'],
    [['wallet,base_yield', `${A},1é`], 2, 'unexpected byte 0xc3: the file must be ASCII'],
  ])('rejects %j at line %i', async (lines, line, problem) => {
    const path = file(lines);
    const error = await importExternalCredits(db(), path, opts(1n)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toContain(`${path}:${line}: ${problem}`);
    expect(await stored()).toEqual([]);
  });

  it('refuses a bad root seq or source', async () => {
    const path = file(['wallet,base_yield']);
    await expect(importExternalCredits(db(), path, opts(0n))).rejects.toThrow('root seq must be a bigint from 1');
    await expect(importExternalCredits(db(), path, { ...opts(1n), source: 'a b' })).rejects.toThrow(
      'source must be 1-64 of',
    );
  });

  it('walletEntitlement adds the base yield of the newest import at or before a seq to the credited total', async () => {
    await bindWallet(db(), { userId: 100n, wallet: wallet(1), via: 'admin', actor: 'test' });
    await sealWith(db(), E, { '100': 7n });
    await creditSealedEpochs(db());
    await importExternalCredits(db(), file(['wallet,base_yield', `${A},100`, `${B},50`]), opts(2n));
    await importExternalCredits(db(), file(['wallet,base_yield', `${A},130`]), opts(5n));
    const at = (w: number, seq?: bigint) => walletEntitlement(db().query, wallet(w), seq);
    expect(await at(1, 1n)).toEqual({ credited: 7n, baseYield: 0n, total: 7n });
    expect(await at(1, 2n)).toEqual({ credited: 7n, baseYield: 100n, total: 107n });
    expect(await at(1, 4n)).toEqual({ credited: 7n, baseYield: 100n, total: 107n });
    expect(await at(1, 5n)).toEqual({ credited: 7n, baseYield: 130n, total: 137n });
    expect(await at(1)).toEqual({ credited: 7n, baseYield: 130n, total: 137n });
    expect(await at(2, 9n)).toEqual({ credited: 0n, baseYield: 50n, total: 50n }); // absent from seq 5: keeps 50
    expect(await at(3)).toEqual({ credited: 0n, baseYield: 0n, total: 0n });
  });
});
