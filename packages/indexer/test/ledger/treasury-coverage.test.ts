import { type DatabaseHandle, sql, treasuryChecks } from '@attention-oracle/db';
import { createRpcClient, RpcError } from '@attention-oracle/sdk';
import { Keypair, PublicKey } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { activeAlarms } from '../../src/alarms.js';
import { readKeypairFile } from '../../src/chain/keypair-file.js';
import { addCorrection, bindWallet, checkTreasuryCoverage, outstandingEntitlement } from '../../src/ledger/index.js';
import { must, transferTx, useLocalChain } from '../chain/helpers.js';
import { useDatabase } from '../epochs/fixtures.js';
import { backends, resetLedger, wallet } from './fixtures.js';

const { chain, connection } = useLocalChain({ bootstrap: { supply: 10_000_000n, program: false } });

/** Credits `amount` to `wallet(n)` now (a positive correction to a viewer bound to it). */
async function credit(db: DatabaseHandle, n: number, amount: bigint): Promise<void> {
  await bindWallet(db, { userId: BigInt(n), wallet: wallet(n), via: 'admin', actor: 'test' });
  await addCorrection(db, { viewer: String(n), amount, reason: 'test credit', actor: 'test' });
}

/** treasury_checks rows, by treasury address (base58). */
async function checks(db: DatabaseHandle) {
  const rows = await db.db.select().from(treasuryChecks);
  return Object.fromEntries(rows.map(({ treasury, ...row }) => [new PublicKey(treasury).toBase58(), row]));
}

async function treasuryBalance(): Promise<bigint> {
  const { treasuryTokenAccount } = must(chain().accounts);
  return BigInt((await connection().getTokenAccountBalance(treasuryTokenAccount, 'confirmed')).value.amount);
}

describe.each(backends)('treasury coverage on %s', (_, open) => {
  const db = useDatabase(open, resetLedger);
  const check = (settlement: 'merkle' | 'direct' = 'merkle', treasury = must(chain().accounts).treasuryTokenAccount) =>
    checkTreasuryCoverage(db(), { client: createRpcClient({ urls: [chain().url] }), treasury, settlement });

  it('raises the alarm when more is owed than the treasury holds, and clears it once covered', async () => {
    const balance = await treasuryBalance();
    const address = must(chain().accounts).treasuryTokenAccount.toBase58();
    await credit(db(), 1, balance - 5n);
    expect(await check()).toMatchObject({ ok: true, outstanding: balance - 5n, balance, shortfall: 0n, wallets: 1 });
    expect(await activeAlarms(db().query)).toEqual([]);
    // A covered check is recorded too.
    const covered = await checks(db());
    expect(covered).toEqual({
      [address]: {
        settlement: 'merkle',
        outstanding: balance - 5n,
        balance,
        shortfall: 0n,
        wallets: 1,
        treasuryExists: true,
        checkedAt: expect.any(Date),
      },
    });

    await credit(db(), 2, 15n);
    const short = await check();
    expect(short).toMatchObject({ ok: false, outstanding: balance + 10n, balance, shortfall: 10n, wallets: 2 });
    const [alarm] = await activeAlarms(db().query);
    expect(alarm?.name).toBe('treasury-coverage');
    expect(alarm?.message).toContain('treasury shortfall of 10');
    expect(alarm?.message).toContain(`outstanding ${balance + 10n} base units`);
    expect(alarm?.message).toContain(`holds ${balance}`);
    expect(alarm?.details).toMatchObject({
      outstanding: String(balance + 10n),
      balance: String(balance),
      shortfall: '10',
    });
    // The same row, replaced by the newer check's figures.
    const recorded = (await checks(db()))[address];
    expect(recorded).toMatchObject({ outstanding: balance + 10n, balance, shortfall: 10n, wallets: 2 });
    expect(recorded?.checkedAt.getTime()).toBeGreaterThanOrEqual(covered[address]?.checkedAt.getTime() ?? Infinity);
    expect(Object.keys(await checks(db()))).toEqual([address]);

    // Wallet 2 claimed through the program (chain-watch recorded it): the greatest cumulative total counts as paid.
    await db().query(sql`insert into chain_claims (signature, event_index, claimer, amount, cumulative_total, root_seq, slot)
      values ('s1', 0, ${wallet(2)}, 8, 8, 1, 10), ('s2', 0, ${wallet(2)}, 7, 15, 2, 11)`);
    expect(await check()).toMatchObject({ ok: true, outstanding: balance - 5n, wallets: 1 });
    expect(await activeAlarms(db().query)).toEqual([]);
    expect((await checks(db()))[address]).toMatchObject({ outstanding: balance - 5n, shortfall: 0n, wallets: 1 });
  });

  it('fires when the treasury is drained by a transfer', async () => {
    const balance = await treasuryBalance();
    await credit(db(), 1, balance - 10n);
    expect((await check()).ok).toBe(true);
    const { mint, keyPaths } = must(chain().accounts);
    const authority = readKeypairFile(keyPaths.treasuryAuthority);
    const drain = transferTx(
      mint,
      authority,
      Keypair.generate().publicKey,
      11n,
      (await connection().getLatestBlockhash()).blockhash,
    );
    await connection().confirmTransaction({
      signature: await connection().sendRawTransaction(drain.serialize()),
      ...(await connection().getLatestBlockhash()),
    });
    expect(await check()).toMatchObject({ ok: false, balance: balance - 11n, shortfall: 1n });
    expect((await activeAlarms(db().query)).map((a) => a.name)).toEqual(['treasury-coverage']);
  });

  it('counts settled, pending and reserved direct claims as paid, and the newest base yield as owed', async () => {
    await credit(db(), 1, 1000n);
    const claim = (amount: bigint, status: string) =>
      db().query(sql`insert into claims (wallet, amount, total, paid_before, status)
        values (${wallet(1)}, ${amount.toString()}::numeric, 1000, 0, ${status})`);
    await claim(100n, 'settled');
    await claim(20n, 'failed');
    await claim(30n, 'voided');
    await claim(50n, 'pending');
    expect(await outstandingEntitlement(db().query, 'direct')).toEqual({ outstanding: 850n, wallets: 1 });
    await db().query(sql`update claims set status = 'settled' where status = 'pending'`);
    await claim(40n, 'reserved');
    expect(await outstandingEntitlement(db().query, 'direct')).toEqual({ outstanding: 810n, wallets: 1 });
    // Merkle mode reads chain claims only; a wallet paid more than it is owed counts as zero, not negative.
    expect(await outstandingEntitlement(db().query, 'merkle')).toEqual({ outstanding: 1000n, wallets: 1 });
    await db().query(sql`insert into chain_claims (signature, event_index, claimer, amount, cumulative_total, root_seq, slot)
      values ('s', 0, ${wallet(1)}, 2000, 2000, 1, 1)`);
    await db().query(sql`insert into external_credits (root_seq, wallet, base_yield)
      values (1, ${wallet(3)}, 70), (4, ${wallet(3)}, 90), (2, ${wallet(1)}, 500)`);
    expect(await outstandingEntitlement(db().query, 'merkle')).toEqual({ outstanding: 90n, wallets: 1 });
    expect(await outstandingEntitlement(db().query, 'direct')).toEqual({ outstanding: 1400n, wallets: 2 });
  });

  it('takes a missing treasury account as balance 0 and says so', async () => {
    const missing = Keypair.generate().publicKey;
    expect(await check('merkle', missing)).toMatchObject({ ok: true, balance: 0n, treasuryExists: false });
    await credit(db(), 1, 1n);
    const result = await check('direct', missing);
    expect(result).toMatchObject({ ok: false, balance: 0n, shortfall: 1n, treasuryExists: false });
    expect(result.message).toContain(`treasury token account ${missing.toBase58()} does not exist: balance taken as 0`);
    expect(await checks(db())).toEqual({
      [missing.toBase58()]: {
        settlement: 'direct',
        outstanding: 1n,
        balance: 0n,
        shortfall: 1n,
        wallets: 1,
        treasuryExists: false,
        checkedAt: expect.any(Date),
      },
    });
  });

  it('lets RPC failures and a treasury that is not a token account propagate, neither raising nor clearing the alarm', async () => {
    await credit(db(), 1, 1n);
    const down = createRpcClient({ urls: ['http://127.0.0.1:9'], retries: 0, timeoutMs: 2000 });
    const treasury = must(chain().accounts).treasuryTokenAccount;
    const failing = () => checkTreasuryCoverage(db(), { client: down, treasury, settlement: 'merkle' });
    await expect(failing()).rejects.toThrow(RpcError);
    await expect(check('merkle', must(chain().accounts).treasuryAuthority)).rejects.toThrow(RpcError);
    expect(await activeAlarms(db().query)).toEqual([]);
    expect(await checks(db())).toEqual({});
    const raised = await check('merkle', Keypair.generate().publicKey);
    const recorded = await checks(db());
    await expect(failing()).rejects.toThrow(RpcError);
    expect((await activeAlarms(db().query)).map((a) => a.message)).toEqual([raised.message]);
    expect(await checks(db())).toEqual(recorded);
    await expect(check('both' as never)).rejects.toThrow('settlement must be merkle or direct');
  });
});
