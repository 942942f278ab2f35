import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { afterAll, describe, expect, it } from 'vitest';
import { importPaidAmounts } from '../../src/epochs/index.js';
import { addCorrection, bindWallet, creditSealedEpochs } from '../../src/ledger/index.js';
import {
  backends,
  credits,
  E,
  epochAt,
  remainingOffsets,
  sealWith,
  totalOf,
  useLedgerDatabase,
  wallet,
} from './fixtures.js';

const W1 = wallet(1);
const dir = mkdtempSync(join(tmpdir(), 'ao-ledger-corrections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(backends)('corrections on %s', (_, open) => {
  const db = useLedgerDatabase(open);
  const correct = (viewer: string, amount: bigint, reason = 'ticket 42') =>
    addCorrection(db(), { viewer, amount, reason, actor: 'cli:alice' });

  it('credits a positive correction at once to the active wallet, or lets it wait for the first binding', async () => {
    await bindWallet(db(), { userId: 100n, wallet: W1, via: 'admin', actor: 'test' });
    const bound = await correct('100', 25n);
    expect(bound).toMatchObject({ kind: 'credit' });
    expect(await totalOf(db(), W1)).toBe(25n);
    expect(await correct('200', 9n)).toMatchObject({ kind: 'credit', wallet: null });
    expect((await credits(db())).map((c) => [c.viewer, c.kind, c.wallet, c.amount])).toEqual([
      ['100', 'correction', toHex(W1), 25n],
      ['200', 'correction', null, 9n],
    ]);
    const moved = await bindWallet(db(), { userId: 200n, wallet: W1, via: 'admin', actor: 'test' });
    expect(moved.movedCredit).toBe(9n);
    expect(await totalOf(db(), W1)).toBe(34n);
    const rows = await db().query(sql`select viewer, kind, amount::text as amount, remaining::text as remaining,
      reason, created_by from corrections order by id`);
    expect(rows).toEqual([
      { viewer: '100', kind: 'credit', amount: '25', remaining: '0', reason: 'ticket 42', created_by: 'cli:alice' },
      { viewer: '200', kind: 'credit', amount: '9', remaining: '0', reason: 'ticket 42', created_by: 'cli:alice' },
    ]);
    const audit = await db().query(sql`select actor, subject from audit_log where action = 'correction.credit'`);
    expect(audit).toHaveLength(2);
  });

  it('withholds a negative correction from future credit across epochs, oldest first, never lowering a total', async () => {
    await bindWallet(db(), { userId: 100n, wallet: W1, via: 'admin', actor: 'test' });
    await sealWith(db(), E, { '100': 10n });
    await creditSealedEpochs(db());
    expect(await correct('100', -7n, 'double-counted raid')).toMatchObject({ kind: 'offset' });
    await correct('100', -5n, 'second mistake');
    expect(await totalOf(db(), W1)).toBe(10n); // an offset changes no total
    await sealWith(db(), epochAt(1), { '100': 4n, '200': 3n });
    await sealWith(db(), epochAt(2), { '100': 6n });
    await sealWith(db(), epochAt(3), { '100': 6n });
    await creditSealedEpochs(db());
    const mine = (await credits(db())).filter((c) => c.viewer === '100');
    expect(mine.map((c) => [c.gross, c.offset, c.amount])).toEqual([
      [10n, 0n, 10n],
      [4n, 4n, 0n], // a fully offset epoch still leaves its row: the offset is the record
      [6n, 6n, 0n],
      [6n, 2n, 4n],
    ]);
    expect(await totalOf(db(), W1)).toBe(14n);
    expect(await remainingOffsets(db())).toEqual({ '100': 0n });
    const left = await db().query(sql`select remaining::text as r from corrections order by id`);
    expect(left).toEqual([{ r: '0' }, { r: '0' }]);
    expect((await credits(db())).find((c) => c.viewer === '200')?.offset).toBe(0n);
  });

  it('refuses a zero amount, a missing or long reason and a malformed viewer', async () => {
    await expect(correct('100', 0n)).rejects.toThrow('correction amount must be a non-zero bigint');
    await expect(correct('100', 1n << 64n)).rejects.toThrow(InvalidArgumentError);
    await expect(correct('100', 5n, '  ')).rejects.toThrow('a correction needs a reason of 1-500 characters');
    await expect(correct('100', 5n, 'x'.repeat(501))).rejects.toThrow(
      'a correction needs a reason of 1-500 characters',
    );
    await expect(correct('alice', 5n)).rejects.toThrow(
      'viewer must be a decimal Twitch user id or legacy:<64 lowercase hex>',
    );
    await expect(correct('legacy:abc', 5n)).rejects.toThrow(InvalidArgumentError);
    expect(await db().query(sql`select * from corrections`)).toEqual([]);
  });

  it('turns imported paid amounts into offsets, once', async () => {
    const legacy = `legacy:${'3d'.repeat(32)}`;
    const path = join(dir, 'paid.csv');
    writeFileSync(path, `viewer,amount,source\n100,8,v1\n${legacy},5,v1\n100,1,v0\n`);
    await importPaidAmounts(db(), path, { actor: 'cli:bob' });
    await importPaidAmounts(db(), path, { actor: 'cli:bob' });
    expect(await remainingOffsets(db())).toEqual({ '100': 9n, [legacy]: 5n });
    await bindWallet(db(), { userId: 100n, wallet: W1, via: 'admin', actor: 'test' });
    await sealWith(db(), E, { '100': 12n, [legacy]: 2n });
    await creditSealedEpochs(db());
    expect(await totalOf(db(), W1)).toBe(3n);
    expect(await remainingOffsets(db())).toEqual({ '100': 0n, [legacy]: 3n });
    expect((await credits(db())).map((c) => [c.viewer, c.gross, c.offset, c.amount])).toEqual([
      ['100', 12n, 9n, 3n],
      [legacy, 2n, 2n, 0n],
    ]);
  });
});
