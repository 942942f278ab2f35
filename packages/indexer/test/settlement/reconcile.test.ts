// claim-reconcile: what a claim left open is finished from the chain. A pending claim that never reached the cluster
// is re-sent while its blockhash lives and voided only after it expired; one that landed is settled (or failed);
// a reservation never signed is voided after the timeout. Nothing is paid twice or lost.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { Keypair, LAMPORTS_PER_SOL } from '@solana/web3.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readKeypairFile } from '../../src/chain/index.js';
import { claimReconcileHandler, type DirectSettlement } from '../../src/settlement/index.js';
import { ata, must, transferTx, useLocalChain } from '../chain/helpers.js';
import { backends } from '../epochs/fixtures.js';
import {
  clientFor,
  creditTotal,
  feeOf,
  resetSettlementTables,
  roleKeyOf,
  settlementOn,
  TOKEN,
  tokenBalance,
} from './fixtures.js';

/** What a hook throws to stop a claim where a crash would. */
class Crash extends Error {}

describe('reconciling direct claims', () => {
  const { chain, connection } = useLocalChain({ bootstrap: { program: false } });

  describe.each(backends)('%s', (_name, open) => {
    let handle: DatabaseHandle | undefined;
    let drop = async () => {};
    const opened: DirectSettlement[] = [];
    const db = () => must(handle, 'a database');
    const settlement = (overrides: Parameters<typeof settlementOn>[2] = {}) => {
      const created = settlementOn(chain(), db(), overrides);
      opened.push(created);
      return created;
    };
    const crashAfterPending = () =>
      settlement({
        hooks: {
          afterPending: async () => {
            throw new Crash('stopped after storing the pending claim, before sending');
          },
        },
      });
    beforeAll(async () => {
      ({ handle, drop } = await open());
    });
    afterAll(() => drop());
    beforeEach(() => resetSettlementTables(db()));
    afterEach(() => {
      for (const s of opened.splice(0)) s.close();
    });

    it('re-sends a pending claim that never reached the cluster while its blockhash lives, then settles it once', async () => {
      const { mint } = must(chain().accounts);
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 50n * TOKEN);
      await expect(crashAfterPending().claim(wallet)).rejects.toThrow(Crash);
      const direct = settlement();
      expect((await direct.paidTo(wallet)).inFlight).toBe(50n * TOKEN);
      expect(await direct.claim(wallet)).toMatchObject({ status: 'claim-in-progress' });
      expect(await tokenBalance(connection(), mint, wallet)).toBe(0n);

      expect(await direct.reconcile()).toEqual({ settled: 0, failed: 0, voided: 0, pending: 1 });
      expect(await direct.reconcile()).toEqual({ settled: 1, failed: 0, voided: 0, pending: 0 });
      expect(await direct.reconcile()).toEqual({ settled: 0, failed: 0, voided: 0, pending: 0 });
      expect(await tokenBalance(connection(), mint, wallet)).toBe(50n * TOKEN - feeOf(50n * TOKEN));
      expect(await direct.claim(wallet)).toEqual({ status: 'nothing-to-claim', total: 50n * TOKEN, paid: 50n * TOKEN });
    });

    it('voids a pending claim only once its blockhash expired without it; the next claim pays the delta once', async () => {
      const { mint } = must(chain().accounts);
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 20n * TOKEN);
      await expect(crashAfterPending().claim(wallet)).rejects.toThrow(Crash);
      const [stored] = await db().query<{ id: number; lvbh: number }>(sql`
        select id::float8 as id, last_valid_block_height::float8 as lvbh from claims where status = 'pending'`);
      const claimId = must(stored).id;
      chain().ledger.warp(must(stored).lvbh - chain().ledger.slot + 1);

      const direct = settlement();
      expect(await direct.reconcile()).toEqual({ settled: 0, failed: 0, voided: 1, pending: 0 });
      const voided = must(await direct.claimStatus(claimId));
      expect(voided.status).toBe('voided');
      expect(voided.error).toMatch(/blockhash expired/);
      // The stored transaction can no longer land.
      await clientFor(chain()).call('sendTransaction', [
        Buffer.from(
          must(
            (
              await db().query<{ transaction: Uint8Array }>(
                sql`select transaction from claims where id = ${claimId}::bigint`,
              )
            )[0],
          ).transaction,
        ).toString('base64'),
        { encoding: 'base64', skipPreflight: true },
      ]);
      expect(await tokenBalance(connection(), mint, wallet)).toBe(0n);
      expect(await direct.paidTo(wallet)).toEqual({
        total: 20n * TOKEN,
        paid: 0n,
        inFlight: 0n,
        claimable: 20n * TOKEN,
      });

      expect(await direct.claim(wallet)).toMatchObject({ status: 'settled', amount: 20n * TOKEN });
      expect(await tokenBalance(connection(), mint, wallet)).toBe(20n * TOKEN - feeOf(20n * TOKEN));
      const audit = await db().query<{ action: string }>(sql`select action from audit_log order by id`);
      expect(audit.map((a) => a.action)).toEqual(['claim.voided', 'claim.settled']);
    });

    it('a claim whose confirmation was not seen comes back pending, and reconcile settles it without paying twice', async () => {
      const { mint } = must(chain().accounts);
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 9n * TOKEN);
      const impatient = settlement({ confirmation: { pollEveryMs: 60_000, timeoutMs: 1 } });
      const result = await impatient.claim(wallet);
      expect(result).toMatchObject({ status: 'pending' });
      const handler = claimReconcileHandler(db(), clientFor(chain()));
      const job = { id: 'claim-reconcile.1', attempt: 1, signal: new AbortController().signal };
      expect(await handler({}, job)).toEqual({ settled: 1, failed: 0, voided: 0, pending: 0 });
      expect(await handler({}, job)).toEqual({ settled: 0, failed: 0, voided: 0, pending: 0 });
      expect(await tokenBalance(connection(), mint, wallet)).toBe(9n * TOKEN - feeOf(9n * TOKEN));
      expect(await impatient.claim(wallet)).toMatchObject({ status: 'nothing-to-claim' });
    });

    it('records a pending claim that landed with an error as failed', async () => {
      const { mint } = must(chain().accounts);
      const poor = Keypair.generate();
      const airdrop = await connection().requestAirdrop(poor.publicKey, LAMPORTS_PER_SOL);
      await connection().confirmTransaction({ signature: airdrop, ...(await connection().getLatestBlockhash()) });
      const authority = readKeypairFile(must(chain().accounts).keyPaths.treasuryAuthority);
      const funding = transferTx(
        mint,
        authority,
        poor.publicKey,
        10n,
        (await connection().getLatestBlockhash()).blockhash,
      );
      await connection().confirmTransaction({
        signature: await connection().sendRawTransaction(funding.serialize()),
        ...(await connection().getLatestBlockhash()),
      });
      const wallet = Keypair.generate().publicKey;
      await creditTotal(db(), wallet, 1000n);
      const crashing = settlement({
        treasuryAccount: ata(mint, poor.publicKey),
        treasuryAuthority: roleKeyOf(poor),
        hooks: {
          afterSend: async () => {
            throw new Crash('stopped after sending, before confirmation');
          },
        },
      });
      await expect(crashing.claim(wallet)).rejects.toThrow(Crash);
      const direct = settlement();
      expect(await direct.reconcile()).toEqual({ settled: 0, failed: 1, voided: 0, pending: 0 });
      const [row] = await db().query<{ status: string; error: string }>(sql`select status, error from claims`);
      expect(row).toMatchObject({ status: 'failed', error: expect.stringContaining('InstructionError') });
      expect(await direct.paidTo(wallet)).toMatchObject({ paid: 0n, inFlight: 0n, claimable: 1000n });
    });

    it('voids a reservation never signed once it is older than the timeout, and leaves a fresh one alone', async () => {
      const [stale, fresh] = [Keypair.generate().publicKey, Keypair.generate().publicKey];
      await creditTotal(db(), stale, 100n);
      await creditTotal(db(), fresh, 100n);
      await db().query(sql`insert into claims (wallet, amount, total, paid_before, status, created_at) values
        (${stale.toBytes()}, 100, 100, 0, 'reserved', now() - interval '10 minutes'),
        (${fresh.toBytes()}, 100, 100, 0, 'reserved', now())`);
      const direct = settlement();
      expect(await direct.claim(stale)).toMatchObject({ status: 'claim-in-progress' });
      expect(await direct.reconcile({ reservedTimeoutMs: 120_000 })).toEqual({
        settled: 0,
        failed: 0,
        voided: 1,
        pending: 0,
      });
      const rows = await db().query<{ status: string; error: string | null }>(sql`
        select status, error from claims order by id`);
      expect(rows).toEqual([
        { status: 'voided', error: expect.stringMatching(/never sent/) },
        { status: 'reserved', error: null },
      ]);
      expect(await direct.claim(stale)).toMatchObject({ status: 'settled', amount: 100n });
      expect(await direct.claim(fresh)).toMatchObject({ status: 'claim-in-progress' });
    });
  });
});
