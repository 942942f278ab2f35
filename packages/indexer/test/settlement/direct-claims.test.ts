// Direct claims end to end on the local chain, on both database backends: the gross delta is paid once, a later
// credit becomes a new delta, the caps split and refuse, and a transfer that fails on chain pays nothing.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { Keypair, LAMPORTS_PER_SOL } from '@solana/web3.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readKeypairFile } from '../../src/chain/index.js';
import type { DirectSettlement } from '../../src/settlement/index.js';
import { ata, must, transferTx, useLocalChain } from '../chain/helpers.js';
import { backends } from '../epochs/fixtures.js';
import {
  accountBalance,
  claimRows,
  creditTotal,
  feeOf,
  NO_CAPS,
  resetSettlementTables,
  roleKeyOf,
  settlementOn,
  TOKEN,
  tokenBalance,
  withheld,
} from './fixtures.js';

describe('direct settlement on the local chain', () => {
  const { chain, connection } = useLocalChain({ bootstrap: { program: false } });

  describe.each(backends)('%s', (_name, open) => {
    let handle: DatabaseHandle | undefined;
    let drop = async () => {};
    const open_: DirectSettlement[] = [];
    const db = () => must(handle, 'a database');
    const settlement = (overrides: Parameters<typeof settlementOn>[2] = {}) => {
      const created = settlementOn(chain(), db(), overrides);
      open_.push(created);
      return created;
    };
    beforeAll(async () => {
      ({ handle, drop } = await open());
    });
    afterAll(() => drop());
    beforeEach(() => resetSettlementTables(db()));
    afterEach(() => {
      for (const s of open_.splice(0)) s.close();
    });

    it('pays the gross delta once: the wallet nets it minus the 50 bps fee, and the recorded fee is what was withheld', async () => {
      const { mint, treasuryTokenAccount } = must(chain().accounts);
      const wallet = Keypair.generate().publicKey;
      const total = 1234n * TOKEN + 567n;
      await creditTotal(db(), wallet, total);
      const treasuryBefore = await accountBalance(connection(), treasuryTokenAccount);
      const direct = settlement();

      const result = await direct.claim(wallet, { requestedBy: 'viewer:42' });
      if (result.status !== 'settled') throw new Error(`expected settled, got ${JSON.stringify(result, jsonBigint)}`);
      expect(result.amount).toBe(total);
      expect(result.fee).toBe(feeOf(total));
      expect(result.net).toBe(total - result.fee);
      expect(await tokenBalance(connection(), mint, wallet)).toBe(result.net);
      expect(await withheld(connection(), mint, wallet)).toBe(result.fee);
      expect(treasuryBefore - (await accountBalance(connection(), treasuryTokenAccount))).toBe(total);

      const status = await connection().getSignatureStatus(result.signature, { searchTransactionHistory: true });
      expect(status.value?.err).toBeNull();
      expect(status.value?.slot).toBe(result.slot);
      const record = must(await direct.claimStatus(result.claimId));
      expect(record).toMatchObject({
        status: 'settled',
        address: wallet.toBase58(),
        amount: total,
        fee: result.fee,
        total,
        paidBefore: 0n,
        signature: result.signature,
        slot: result.slot,
        requestedBy: 'viewer:42',
      });
      expect(record.sentAt).toBeInstanceOf(Date);
      expect(record.finishedAt).toBeInstanceOf(Date);
      const audit = await db().query<{ action: string; details: { amount: string; signature: string } }>(sql`
        select action, details from audit_log where action like 'claim.%'`);
      expect(audit).toEqual([
        {
          action: 'claim.settled',
          details: expect.objectContaining({ amount: total.toString(), signature: result.signature }),
        },
      ]);
      expect(await direct.paidTo(wallet)).toEqual({ total, paid: total, inFlight: 0n, claimable: 0n });
    });

    it('answers nothing-to-claim without new credit, and pays only the new delta after a later credit', async () => {
      const { mint } = must(chain().accounts);
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 100n * TOKEN);
      const direct = settlement();
      const first = await direct.claim(wallet);
      expect(first.status).toBe('settled');

      expect(await direct.claim(wallet)).toEqual({
        status: 'nothing-to-claim',
        total: 100n * TOKEN,
        paid: 100n * TOKEN,
      });
      await creditTotal(db(), wallet, 130n * TOKEN);
      const second = await direct.claim(wallet);
      expect(second).toMatchObject({ status: 'settled', amount: 30n * TOKEN });
      const record = must(await direct.claimStatus((second as { claimId: number }).claimId));
      expect(record).toMatchObject({ total: 130n * TOKEN, paidBefore: 100n * TOKEN });
      expect(await tokenBalance(connection(), mint, wallet)).toBe(
        100n * TOKEN - feeOf(100n * TOKEN) + 30n * TOKEN - feeOf(30n * TOKEN),
      );
      const payments = await direct.paidTo(wallet);
      expect(payments.paid).toBe(130n * TOKEN);
      expect(payments.paid).toBeLessThanOrEqual(payments.total);
      expect((await claimRows(db(), wallet)).map((r) => r.status)).toEqual(['settled', 'settled']);
    });

    it('splits a delta larger than the per-claim cap across claims', async () => {
      const { mint } = must(chain().accounts);
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 2500n);
      const direct = settlement({ caps: { ...NO_CAPS, perClaim: 1000n } });
      const amounts: bigint[] = [];
      for (let i = 0; i < 3; i++) {
        const result = await direct.claim(wallet);
        if (result.status !== 'settled') throw new Error(`claim ${i}: ${result.status}`);
        amounts.push(result.amount);
      }
      expect(amounts).toEqual([1000n, 1000n, 500n]);
      expect(await direct.claim(wallet)).toEqual({ status: 'nothing-to-claim', total: 2500n, paid: 2500n });
      expect(await tokenBalance(connection(), mint, wallet)).toBe(2500n - 2n * feeOf(1000n) - feeOf(500n));
    });

    it("refuses past a wallet's daily cap with the time until its oldest claim leaves the 24-hour window", async () => {
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 3000n);
      // A claim settled 25 hours ago is paid but no longer counts against the day.
      await db().query(sql`insert into claims (wallet, amount, total, paid_before, status, created_at)
        values (${wallet.toBytes()}, 1000, 1000, 0, 'settled', now() - interval '25 hours')`);
      const direct = settlement({ caps: { ...NO_CAPS, perWalletPerDay: 1200n } });
      expect(await direct.claim(wallet)).toMatchObject({ status: 'settled', amount: 1200n });
      const refused = await direct.claim(wallet);
      if (refused.status !== 'cap-reached') throw new Error(`expected cap-reached, got ${refused.status}`);
      expect(refused.cap).toBe('per-day-wallet');
      expect(refused.retryAfterSeconds).toBeGreaterThan(86_400 - 120);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(86_400);
      // Another wallet is not held back by this one's cap.
      const other = Keypair.generate().publicKey;
      await creditTotal(db(), other, 10n);
      expect(await direct.claim(other)).toMatchObject({ status: 'settled', amount: 10n });
    });

    it('refuses past the global daily cap, counting every wallet, and names the claim whose ageing frees room', async () => {
      const [a, b, c] = [Keypair.generate().publicKey, Keypair.generate().publicKey, Keypair.generate().publicKey];
      for (const wallet of [a, b, c]) await creditTotal(db(), wallet, 1000n);
      await db().query(sql`insert into claims (wallet, amount, total, paid_before, status, created_at)
        values (${c.toBytes()}, 400, 1000, 0, 'settled', now() - interval '23 hours')`);
      const direct = settlement({ caps: { ...NO_CAPS, perDay: 1500n } });
      expect(await direct.claim(a)).toMatchObject({ status: 'settled', amount: 1000n });
      expect(await direct.claim(b)).toMatchObject({ status: 'settled', amount: 100n });
      const refused = await direct.claim(b);
      if (refused.status !== 'cap-reached') throw new Error(`expected cap-reached, got ${refused.status}`);
      expect(refused.cap).toBe('per-day-total');
      // The 23-hour-old claim of `c` leaves the window first, in about an hour, and frees 400.
      expect(refused.retryAfterSeconds).toBeGreaterThan(3600 - 120);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
    });

    it('records a transfer that lands with an error as failed and pays nothing; a later claim pays in full', async () => {
      const { mint } = must(chain().accounts);
      const poor = Keypair.generate();
      const airdrop = await connection().requestAirdrop(poor.publicKey, 2 * LAMPORTS_PER_SOL);
      await connection().confirmTransaction({ signature: airdrop, ...(await connection().getLatestBlockhash()) });
      const authority = readKeypairFile(must(chain().accounts).keyPaths.treasuryAuthority);
      const funding = transferTx(
        mint,
        authority,
        poor.publicKey,
        1000n,
        (await connection().getLatestBlockhash()).blockhash,
      );
      await connection().confirmTransaction({
        signature: await connection().sendRawTransaction(funding.serialize()),
        ...(await connection().getLatestBlockhash()),
      });
      const poorTreasury = ata(mint, poor.publicKey);
      const poorBalance = await accountBalance(connection(), poorTreasury);
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 5000n);
      const direct = settlement({ treasuryAccount: poorTreasury, treasuryAuthority: roleKeyOf(poor) });

      const result = await direct.claim(wallet);
      if (result.status !== 'failed') throw new Error(`expected failed, got ${result.status}`);
      expect(result.error).toContain('InstructionError');
      const record = must(await direct.claimStatus(result.claimId));
      expect(record.status).toBe('failed');
      const landed = await connection().getSignatureStatus(must(record.signature), { searchTransactionHistory: true });
      expect(landed.value?.err).not.toBeNull();
      expect(await accountBalance(connection(), poorTreasury)).toBe(poorBalance);
      expect(await tokenBalance(connection(), mint, wallet)).toBe(0n);
      expect(await direct.paidTo(wallet)).toEqual({ total: 5000n, paid: 0n, inFlight: 0n, claimable: 5000n });

      const rich = settlement();
      expect(await rich.claim(wallet)).toMatchObject({ status: 'settled', amount: 5000n });
      expect(await tokenBalance(connection(), mint, wallet)).toBe(5000n - feeOf(5000n));
    });

    it('answers nothing-to-claim for a wallet never credited, and refuses malformed input', async () => {
      const direct = settlement();
      expect(await direct.claim(Keypair.generate().publicKey)).toEqual({
        status: 'nothing-to-claim',
        total: 0n,
        paid: 0n,
      });
      await expect(direct.claim(new Uint8Array(31))).rejects.toThrow(/PublicKey or 32 bytes, got 31 bytes/);
      await expect(direct.claimStatus(0)).rejects.toThrow(/positive integer/);
      expect(await direct.claimStatus(999_999)).toBeNull();
      expect(() => settlementOn(chain(), db(), { caps: { ...NO_CAPS, perClaim: 0n } })).toThrow(/perClaim/);
    });
  });
});

function jsonBigint(_key: string, value: unknown) {
  return typeof value === 'bigint' ? value.toString() : value;
}
