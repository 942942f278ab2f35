// A process killed between signing and confirmation (kill -9 of a real child process, PostgreSQL shared with it, the
// local chain served over HTTP by this process): reconcile on "restart" pays nothing twice and loses nothing.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import { Keypair } from '@solana/web3.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DirectSettlement } from '../../src/settlement/index.js';
import { must, useLocalChain } from '../chain/helpers.js';
import { claimThenKill } from './claim-process.js';
import {
  accountBalance,
  creditTotal,
  feeOf,
  resetSettlementTables,
  settlementOn,
  TOKEN,
  tokenBalance,
} from './fixtures.js';

describe('a claiming process killed between signing and confirmation', () => {
  const { chain, connection } = useLocalChain({ bootstrap: { program: false } });
  let database: Awaited<ReturnType<typeof createTestPostgres>> | undefined;
  let direct: DirectSettlement | undefined;
  const db = (): DatabaseHandle => must(database, 'a database').handle;
  beforeAll(async () => {
    database = await createTestPostgres();
  });
  afterAll(() => database?.drop());
  beforeEach(async () => {
    await resetSettlementTables(db());
    direct = settlementOn(chain(), db());
  });
  afterEach(() => direct?.close());

  const childOptions = (wallet: Keypair['publicKey'], stop: 'after-pending' | 'after-send') => {
    const accounts = must(chain().accounts);
    return {
      databaseUrl: must(database).url,
      rpcUrl: chain().url,
      mint: accounts.mint.toBase58(),
      treasuryAccount: accounts.treasuryTokenAccount.toBase58(),
      authorityKeyPath: accounts.keyPaths.treasuryAuthority,
      wallet: wallet.toBase58(),
      stop,
    };
  };

  it('(a) killed after storing the signed claim, before sending: voided once its blockhash expired, nothing paid', async () => {
    const { mint, treasuryTokenAccount } = must(chain().accounts);
    const settlement = must(direct);
    const wallet = Keypair.generate().publicKey;
    await creditTotal(db(), wallet, 40n * TOKEN);
    const treasuryBefore = await accountBalance(connection(), treasuryTokenAccount);

    const stopped = await claimThenKill(childOptions(wallet, 'after-pending'));
    const stored = must(await settlement.claimStatus(stopped.claimId));
    expect(stored).toMatchObject({ status: 'pending', signature: stopped.signature, requestedBy: 'claim-child' });
    const status = await connection().getSignatureStatus(stopped.signature, { searchTransactionHistory: true });
    expect(status.value).toBeNull();
    expect(await settlement.claim(wallet)).toEqual({ status: 'claim-in-progress', claimId: stopped.claimId });

    chain().ledger.warp(must(stored.lastValidBlockHeight) - chain().ledger.slot + 1);
    expect(await settlement.reconcile()).toEqual({ settled: 0, failed: 0, voided: 1, pending: 0 });
    expect((await settlement.claimStatus(stopped.claimId))?.status).toBe('voided');
    expect(await tokenBalance(connection(), mint, wallet)).toBe(0n);
    expect(await accountBalance(connection(), treasuryTokenAccount)).toBe(treasuryBefore);

    // Nothing lost: the restarted service pays the whole delta, once.
    expect(await settlement.claim(wallet)).toMatchObject({ status: 'settled', amount: 40n * TOKEN });
    expect(await settlement.claim(wallet)).toMatchObject({ status: 'nothing-to-claim' });
    expect(await tokenBalance(connection(), mint, wallet)).toBe(40n * TOKEN - feeOf(40n * TOKEN));
    expect(treasuryBefore - (await accountBalance(connection(), treasuryTokenAccount))).toBe(40n * TOKEN);
  });

  it('(b) killed after sending, before confirmation: reconcile settles it and later claims pay only new credit', async () => {
    const { mint, treasuryTokenAccount } = must(chain().accounts);
    const settlement = must(direct);
    const wallet = Keypair.generate().publicKey;
    await creditTotal(db(), wallet, 60n * TOKEN);
    const treasuryBefore = await accountBalance(connection(), treasuryTokenAccount);

    const stopped = await claimThenKill(childOptions(wallet, 'after-send'));
    expect((await settlement.claimStatus(stopped.claimId))?.status).toBe('pending');
    expect(await settlement.claim(wallet)).toEqual({ status: 'claim-in-progress', claimId: stopped.claimId });

    expect(await settlement.reconcile()).toEqual({ settled: 1, failed: 0, voided: 0, pending: 0 });
    const settled = must(await settlement.claimStatus(stopped.claimId));
    expect(settled).toMatchObject({ status: 'settled', amount: 60n * TOKEN });
    expect(settled.slot).toBeGreaterThan(0);
    expect(await settlement.claim(wallet)).toEqual({
      status: 'nothing-to-claim',
      total: 60n * TOKEN,
      paid: 60n * TOKEN,
    });
    expect(await tokenBalance(connection(), mint, wallet)).toBe(60n * TOKEN - feeOf(60n * TOKEN));

    await creditTotal(db(), wallet, 65n * TOKEN);
    expect(await settlement.claim(wallet)).toMatchObject({ status: 'settled', amount: 5n * TOKEN });
    expect(treasuryBefore - (await accountBalance(connection(), treasuryTokenAccount))).toBe(65n * TOKEN);
    const payments = await settlement.paidTo(wallet);
    expect(payments).toEqual({ total: 65n * TOKEN, paid: 65n * TOKEN, inFlight: 0n, claimable: 0n });
    const [counts] = await db().query<{ settled: number }>(sql`
      select count(*)::int as settled from claims where status = 'settled'`);
    expect(counts?.settled).toBe(2);
  });
});
