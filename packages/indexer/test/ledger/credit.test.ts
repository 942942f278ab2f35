import { InvalidArgumentError, toHex } from '@attention-oracle/core';
import { openDatabase, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import { describe, expect, it } from 'vitest';
import { activeWallet, bindingHistory, bindWallet, creditEpoch, creditSealedEpochs } from '../../src/ledger/index.js';
import {
  backends,
  credits,
  E,
  epochAt,
  optOut,
  sealWith,
  totalOf,
  totals,
  useLedgerDatabase,
  wallet,
} from './fixtures.js';

const W1 = wallet(1);
const W2 = wallet(2);
const bind = (db: Parameters<typeof bindWallet>[0], userId: bigint, w: Uint8Array) =>
  bindWallet(db, { userId, wallet: w, via: 'signature', actor: 'test' });

describe.each(backends)('crediting sealed epochs on %s', (_, open) => {
  const db = useLedgerDatabase(open);

  it("credits each viewer's epoch sum to the wallet bound at crediting time, the rest waits", async () => {
    await bind(db(), 100n, W1);
    await sealWith(db(), E, [
      ['100', 1, 5n],
      ['100', 2, 7n],
      ['200', 1, 3n],
    ]);
    const progress: [number, number][] = [];
    const result = await creditSealedEpochs(db(), { onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({ epochs: 1, credited: 12n, waiting: 3n });
    expect(progress).toEqual([[1, 1]]);
    expect(await totals(db())).toEqual({ [toHex(W1)]: 12n });
    expect(await credits(db())).toEqual([
      {
        viewer: '100',
        wallet: toHex(W1),
        kind: 'epoch',
        epoch: E,
        gross: 12n,
        offset: 0n,
        amount: 12n,
        assigned: true,
      },
      { viewer: '200', wallet: null, kind: 'epoch', epoch: E, gross: 3n, offset: 0n, amount: 3n, assigned: false },
    ]);
    const [row] = await db().query(sql`select viewers, credited::text as credited, waiting::text as waiting, opted_out
      from credited_epochs where epoch = ${E}::bigint`);
    expect(row).toEqual({ viewers: 2, credited: '12', waiting: '3', opted_out: 0 });
    const audit = await db().query(sql`select actor, subject from audit_log where action = 'ledger.credited'`);
    expect(audit).toEqual([{ actor: 'ledger', subject: String(E) }]);
  });

  it('credits epochs in order and skips ones not sealed; an epoch that is not sealed cannot be credited', async () => {
    await sealWith(db(), epochAt(1), { '100': 2n });
    await sealWith(db(), E, { '100': 1n });
    await db().query(sql`insert into epochs (epoch, length_seconds) values (${epochAt(2)}::bigint, 3600)`);
    expect(await creditSealedEpochs(db())).toEqual({ epochs: 2, credited: 0n, waiting: 3n });
    expect((await credits(db())).map((c) => c.epoch)).toEqual([E, epochAt(1)]);
    await expect(creditEpoch(db(), epochAt(2), 'test')).rejects.toThrow(`epoch ${epochAt(2)} is open`);
    await expect(creditEpoch(db(), epochAt(3), 'test')).rejects.toThrow(InvalidArgumentError);
  });

  it('waiting credit moves on the first binding only; a rebinding moves only future credit', async () => {
    await sealWith(db(), E, { '100': 10n });
    await sealWith(db(), epochAt(1), { '100': 5n });
    expect(await creditSealedEpochs(db())).toEqual({ epochs: 2, credited: 0n, waiting: 15n });

    const first = await bind(db(), 100n, W1);
    expect(first).toMatchObject({ movedCredit: 15n, first: true });
    expect(await totals(db())).toEqual({ [toHex(W1)]: 15n });
    expect((await credits(db())).every((c) => c.wallet === toHex(W1) && c.assigned)).toBe(true);

    const second = await bind(db(), 100n, W2);
    expect(second).toMatchObject({ movedCredit: 0n, first: false });
    await sealWith(db(), epochAt(2), { '100': 4n });
    await creditSealedEpochs(db());
    expect(await totals(db())).toEqual({ [toHex(W1)]: 15n, [toHex(W2)]: 4n });

    // Binding the active wallet again is a no-op; going back to W1 sends only later credit there.
    expect(await bind(db(), 100n, W2)).toEqual({ bindingId: second.bindingId, movedCredit: 0n, first: false });
    await bind(db(), 100n, W1);
    await sealWith(db(), epochAt(3), { '100': 1n });
    await creditSealedEpochs(db());
    expect(await totals(db())).toEqual({ [toHex(W1)]: 16n, [toHex(W2)]: 4n });

    const history = await bindingHistory(db().query, 100n);
    expect(history.map((b) => [toHex(b.wallet), b.unboundAt === null])).toEqual([
      [toHex(W1), false],
      [toHex(W2), false],
      [toHex(W1), true],
    ]);
    expect(toHex((await activeWallet(db().query, 100n))?.wallet ?? new Uint8Array())).toBe(toHex(W1));
    expect(await activeWallet(db().query, 999n)).toBeNull();
    const audit = await db().query(sql`select count(*)::int as n from audit_log where action = 'wallet.bound'`);
    expect(audit).toEqual([{ n: 3 }]);
  });

  it('a wallet bound by several viewers totals the credit of each', async () => {
    await bind(db(), 100n, W1);
    await bind(db(), 200n, W1);
    await sealWith(db(), E, { '100': 3n, '200': 4n });
    await creditSealedEpochs(db());
    expect(await totalOf(db(), W1)).toBe(7n);
  });

  it('credits nothing to a viewer who opted out by crediting time, from then on', async () => {
    await bind(db(), 100n, W1);
    await sealWith(db(), E, { '100': 5n, '200': 6n });
    await creditSealedEpochs(db());
    await sealWith(db(), epochAt(1), { '100': 7n, '200': 8n });
    await optOut(db(), 100n);
    expect(await creditSealedEpochs(db())).toEqual({ epochs: 1, credited: 0n, waiting: 8n });
    expect(await totalOf(db(), W1)).toBe(5n); // what was credited before the opt-out stays
    expect((await credits(db())).filter((c) => c.epoch === epochAt(1)).map((c) => c.viewer)).toEqual(['200']);
    const [row] = await db().query(
      sql`select viewers, opted_out from credited_epochs where epoch = ${epochAt(1)}::bigint`,
    );
    expect(row).toEqual({ viewers: 1, opted_out: 1 });
  });

  it('credits an epoch once, however often and however concurrently it is asked', async () => {
    await bind(db(), 100n, W1);
    for (let n = 0; n < 4; n++) await sealWith(db(), epochAt(n), { '100': BigInt(n + 1), '300': 1n });
    const results = await Promise.all([creditSealedEpochs(db()), creditSealedEpochs(db())]);
    expect(results.reduce((sum, r) => sum + r.epochs, 0)).toBe(4);
    expect(await creditSealedEpochs(db())).toEqual({ epochs: 0, credited: 0n, waiting: 0n });
    expect(await creditEpoch(db(), E, 'test')).toBeNull();
    expect(await totalOf(db(), W1)).toBe(10n);
    expect(await credits(db())).toHaveLength(8);
  });

  it('validates binding input with clear errors', async () => {
    const bad = (input: Partial<Parameters<typeof bindWallet>[1]>) =>
      bindWallet(db(), { userId: 100n, wallet: W1, via: 'signature', actor: 'test', ...input } as never);
    await expect(bad({ wallet: new Uint8Array(31) })).rejects.toThrow('wallet must be 32 bytes, got 31 bytes');
    await expect(bad({ userId: 0n })).rejects.toThrow('user id must be a positive bigint');
    await expect(bad({ userId: 1n << 63n })).rejects.toThrow('user id must be a positive bigint below 2^63');
    await expect(bad({ via: 'email' as never })).rejects.toThrow('via must be one of signature, admin, import');
    await expect(bad({ actor: '' })).rejects.toThrow('actor must be 1-200 characters');
    expect(await bindingHistory(db().query, 100n)).toEqual([]);
  });
});

describe('crediting from two processes on PostgreSQL', () => {
  it('credits every epoch exactly once', async () => {
    const server = await createTestPostgres();
    const other = await openDatabase({ databaseUrl: server.url });
    try {
      await bindWallet(server.handle, { userId: 100n, wallet: W1, via: 'admin', actor: 'test' });
      const viewers = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [String(100 + i), 2n]));
      for (let n = 0; n < 12; n++) await sealWith(server.handle, epochAt(n), viewers);
      const [a, b] = await Promise.all([creditSealedEpochs(server.handle), creditSealedEpochs(other)]);
      expect((a?.epochs ?? 0) + (b?.epochs ?? 0)).toBe(12);
      expect((a?.credited ?? 0n) + (b?.credited ?? 0n)).toBe(24n);
      expect(await totalOf(server.handle, W1)).toBe(24n);
      const [count] = await server.handle.query(sql`select count(*)::int as n from wallet_credits`);
      expect(count).toEqual({ n: 600 });
    } finally {
      await other.close();
      await server.drop();
    }
  });
});
