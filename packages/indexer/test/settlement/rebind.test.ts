// Ledger and direct settlement together: a viewer who rebinds keeps every wallet's total monotone, the old wallet is
// never paid again for credit that moved on, and the new wallet is paid only what was credited after the rebinding.
import type { DatabaseHandle } from '@attention-oracle/db';
import { createTestPglite } from '@attention-oracle/db/testing';
import { Keypair } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindWallet, creditSealedEpochs } from '../../src/ledger/index.js';
import { walletEntitlement } from '../../src/ledger/totals.js';
import { must, useLocalChain } from '../chain/helpers.js';
import { epochAt, sealWith } from '../ledger/fixtures.js';
import { feeOf, settlementOn, tokenBalance } from './fixtures.js';

describe('a viewer who rebinds, paid directly on the local chain', () => {
  const { chain, connection } = useLocalChain({ bootstrap: { program: false } });
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(() => db?.close());

  it('keeps totals monotone and pays each wallet exactly what was credited to it', async () => {
    const first = Keypair.generate().publicKey;
    const second = Keypair.generate().publicKey;
    const mint = must(chain().accounts).mint;
    const settlement = settlementOn(chain(), db);
    const totalOf = async (w: typeof first) => (await walletEntitlement(db.query, w.toBytes())).total;
    const seen = new Map<string, bigint>();
    const monotone = async () => {
      for (const w of [first, second]) {
        const total = await totalOf(w);
        expect(total).toBeGreaterThanOrEqual(seen.get(w.toBase58()) ?? 0n);
        seen.set(w.toBase58(), total);
      }
    };
    try {
      // Earned before binding: waits, then goes to the first wallet with epoch 1's credit.
      await sealWith(db, epochAt(0), { '500': 4_000n });
      await creditSealedEpochs(db);
      await monotone();
      await bindWallet(db, { userId: 500n, wallet: first.toBytes(), via: 'signature', actor: 'test' });
      await sealWith(db, epochAt(1), { '500': 1_000n });
      await creditSealedEpochs(db);
      await monotone();
      expect(await settlement.claim(first)).toMatchObject({ status: 'settled', amount: 5_000n });

      // Rebinding moves nothing already credited: the first wallet keeps 5,000 (and is owed nothing more).
      await bindWallet(db, { userId: 500n, wallet: second.toBytes(), via: 'signature', actor: 'test' });
      await monotone();
      expect(await totalOf(first)).toBe(5_000n);
      expect(await totalOf(second)).toBe(0n);
      expect(await settlement.claim(second)).toMatchObject({ status: 'nothing-to-claim' });

      await sealWith(db, epochAt(2), { '500': 2_500n });
      await creditSealedEpochs(db);
      await monotone();
      expect(await settlement.claim(first)).toMatchObject({ status: 'nothing-to-claim', total: 5_000n, paid: 5_000n });
      expect(await settlement.claim(second)).toMatchObject({ status: 'settled', amount: 2_500n });

      expect(await tokenBalance(connection(), mint, first)).toBe(5_000n - feeOf(5_000n));
      expect(await tokenBalance(connection(), mint, second)).toBe(2_500n - feeOf(2_500n));
    } finally {
      settlement.close();
    }
  });
});
