// Exactly once under concurrency: a thousand simultaneous claims of one wallet pay one delta, and simultaneous
// claims of many wallets never pay past the global daily cap.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { Keypair } from '@solana/web3.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimResult, DirectSettlement } from '../../src/settlement/index.js';
import { must, useLocalChain } from '../chain/helpers.js';
import { backends } from '../epochs/fixtures.js';
import {
  accountBalance,
  claimRows,
  creditTotal,
  feeOf,
  NO_CAPS,
  resetSettlementTables,
  settlementOn,
  TOKEN,
  tokenBalance,
} from './fixtures.js';

describe('concurrent direct claims', () => {
  const { chain, connection } = useLocalChain({ bootstrap: { program: false } });

  describe.each(backends)('%s', (_name, open) => {
    let handle: DatabaseHandle | undefined;
    let drop = async () => {};
    let direct: DirectSettlement | undefined;
    const extra: DirectSettlement[] = [];
    const db = () => must(handle, 'a database');
    beforeAll(async () => {
      ({ handle, drop } = await open());
    });
    afterAll(() => drop());
    beforeEach(() => resetSettlementTables(db()));
    afterEach(() => {
      direct?.close();
      for (const s of extra.splice(0)) s.close();
    });

    it('1,000 concurrent claims for one wallet pay exactly one delta', async () => {
      const { mint, treasuryTokenAccount } = must(chain().accounts);
      const wallet = Keypair.generate().publicKey;
      const total = 777n * TOKEN;
      await creditTotal(db(), wallet, total);
      const treasuryBefore = await accountBalance(connection(), treasuryTokenAccount);
      direct = settlementOn(chain(), db());

      const results = await Promise.all(Array.from({ length: 1000 }, () => direct?.claim(wallet)));
      const byStatus = new Map<string, ClaimResult[]>();
      for (const result of results) {
        const r = must(result);
        byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r]);
      }
      expect(byStatus.get('settled')).toHaveLength(1);
      const settledId = (must(byStatus.get('settled')?.[0]) as { claimId: number }).claimId;
      for (const r of byStatus.get('claim-in-progress') ?? [])
        expect(r).toEqual({ status: 'claim-in-progress', claimId: settledId });
      const others = [...byStatus.keys()].filter((s) => s !== 'settled');
      expect(others.every((s) => s === 'claim-in-progress' || s === 'nothing-to-claim')).toBe(true);
      expect((byStatus.get('claim-in-progress')?.length ?? 0) + (byStatus.get('nothing-to-claim')?.length ?? 0)).toBe(
        999,
      );

      expect(await tokenBalance(connection(), mint, wallet)).toBe(total - feeOf(total));
      expect(treasuryBefore - (await accountBalance(connection(), treasuryTokenAccount))).toBe(total);
      const rows = await claimRows(db(), wallet);
      expect(rows.map((r) => r.status)).toEqual(['settled']);
      expect(await direct.paidTo(wallet)).toEqual({ total, paid: total, inFlight: 0n, claimable: 0n });
    });

    it('concurrent claims of many wallets through several settlements pay exactly up to the global daily cap', async () => {
      const { mint } = must(chain().accounts);
      const wallets = Array.from({ length: 40 }, () => Keypair.generate().publicKey);
      for (const wallet of wallets) await creditTotal(db(), wallet, 1000n);
      // Four settlements reserve in their own batches on their own connections, as separate processes would: only
      // the database lock keeps the global cap exact between them.
      const caps = { ...NO_CAPS, perDay: 12_345n };
      for (let i = 0; i < 4; i++) extra.push(settlementOn(chain(), db(), { caps }));

      const results = await Promise.all(wallets.map((wallet, i) => must(extra[i % 4]).claim(wallet)));
      const settled = results.flatMap((r) => (r.status === 'settled' ? [r.amount] : []));
      expect(settled.reduce((a, b) => a + b, 0n)).toBe(12_345n);
      expect(results.filter((r) => r.status === 'cap-reached')).toHaveLength(40 - settled.length);
      let received = 0n;
      for (const wallet of wallets) received += await tokenBalance(connection(), mint, wallet);
      expect(received).toBe(settled.reduce((sum, amount) => sum + amount - feeOf(amount), 0n));
      const [sum] = await db().query<{ paid: string }>(sql`
        select sum(amount)::text as paid from claims where status = 'settled'`);
      expect(sum?.paid).toBe('12345');
    });
  });
});
