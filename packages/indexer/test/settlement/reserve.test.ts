// Reservations in batches, on both backends: one transaction decides many requests in order, as if one at a time.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { Keypair } from '@solana/web3.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reserveClaims } from '../../src/settlement/index.js';
import { must } from '../chain/helpers.js';
import { backends } from '../epochs/fixtures.js';
import { creditTotal, NO_CAPS, resetSettlementTables } from './fixtures.js';

describe.each(backends)('reserving claims in batches (%s)', (_name, open) => {
  let handle: DatabaseHandle | undefined;
  let drop = async () => {};
  const db = () => must(handle, 'a database');
  beforeAll(async () => {
    ({ handle, drop } = await open());
  });
  afterAll(() => drop());
  beforeEach(() => resetSettlementTables(db()));

  it('decides each request in order: a wallet twice, an unfunded wallet, the caps as they fill', async () => {
    const [a, b, c, d] = Array.from({ length: 4 }, () => Keypair.generate().publicKey);
    await creditTotal(db(), must(a), 500n);
    await creditTotal(db(), must(c), 800n);
    await creditTotal(db(), must(d), 100n);
    const caps = { ...NO_CAPS, perWalletPerDay: 600n, perDay: 1000n };
    const outcomes = await reserveClaims(
      db(),
      [a, a, b, c, d].map((wallet) => ({ wallet: must(wallet).toBytes(), requestedBy: 'test' })),
      caps,
    );
    const first = must(outcomes[0]);
    if (first.status !== 'reserved') throw new Error(`expected reserved, got ${first.status}`);
    expect(first).toMatchObject({ amount: 500n, total: 500n, paidBefore: 0n });
    expect(outcomes[1]).toEqual({ status: 'claim-in-progress', claimId: first.claimId });
    expect(outcomes[2]).toEqual({ status: 'nothing-to-claim', total: 0n, paid: 0n });
    // c: its own daily cap (600) binds first but only 500 of the global 1000 is left.
    expect(outcomes[3]).toMatchObject({ status: 'reserved', amount: 500n, total: 800n });
    expect(outcomes[4]).toMatchObject({ status: 'cap-reached', cap: 'per-day-total' });
    expect((outcomes[4] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(86_400 - 120);

    const rows = await db().query<{ id: number; amount: string; status: string; requested_by: string }>(sql`
      select id::float8 as id, amount::text as amount, status, requested_by from claims order by id`);
    expect(rows).toEqual([
      { id: first.claimId, amount: '500', status: 'reserved', requested_by: 'test' },
      { id: (outcomes[3] as { claimId: number }).claimId, amount: '500', status: 'reserved', requested_by: 'test' },
    ]);
    // A second batch sees the first one's reservations.
    expect(await reserveClaims(db(), [{ wallet: must(a).toBytes(), requestedBy: null }], caps)).toEqual([
      { status: 'claim-in-progress', claimId: first.claimId },
    ]);
  });

  it('an empty batch touches nothing', async () => {
    expect(await reserveClaims(db(), [], NO_CAPS)).toEqual([]);
  });
});
