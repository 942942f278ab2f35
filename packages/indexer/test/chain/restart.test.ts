// A stopped and restarted chain keeps balances, signatures and transaction history; bootstrapping again changes
// nothing; without its snapshot the journal alone rebuilds the same state from genesis.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { address } from '@solana/kit';
import { TOKEN_2022_PROGRAM_ID } from '@solana/spl-token';
import { Connection, Keypair, PublicKey, Transaction, TransactionInstruction } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapLocalChain, openLedger, readKeypairFile, startLocalChain } from '../../src/chain/index.js';
import { ata, must, removeTempDirs, tempDir, transferTx } from './helpers.js';

describe('restarting the local chain', () => {
  afterEach(() => removeTempDirs());

  it('keeps balances, signatures and transaction history, and bootstrap is idempotent', async () => {
    const dir = tempDir();
    let chain = await startLocalChain({ dataDir: dir, warn: () => {} });
    const accounts = must(chain.accounts);
    let connection = new Connection(chain.url, 'confirmed');
    const authority = readKeypairFile(accounts.keyPaths.treasuryAuthority);
    const recipient = Keypair.generate().publicKey;
    const signatures: string[] = [];
    for (const amount of [5n, 7n, 11n].map((n) => n * 10n ** 9n)) {
      const latest = await connection.getLatestBlockhash();
      const signature = await connection.sendRawTransaction(
        transferTx(accounts.mint, authority, recipient, amount, latest.blockhash).serialize(),
      );
      await connection.confirmTransaction({ signature, ...latest });
      signatures.unshift(signature);
    }
    const read = async () => ({
      recipient: (await connection.getTokenAccountBalance(ata(accounts.mint, recipient))).value.amount,
      treasury: (await connection.getTokenAccountBalance(accounts.treasuryTokenAccount)).value.amount,
      authorityLamports: await connection.getBalance(accounts.treasuryAuthority),
      history: (await connection.getSignaturesForAddress(ata(accounts.mint, recipient))).map((s) => [
        s.signature,
        s.slot,
      ]),
      transaction: await connection.getTransaction(must(signatures[0]), { maxSupportedTransactionVersion: 0 }),
      roles: (await connection.getSignaturesForAddress(accounts.publisher)).length,
    });
    const before = await read();
    expect(before.history.map(([signature]) => signature)).toEqual(signatures);
    const slotBefore = await connection.getSlot();
    await chain.stop();

    chain = await startLocalChain({ dataDir: dir, warn: () => {} });
    connection = new Connection(chain.url, 'confirmed');
    expect(chain.accounts?.mint.equals(accounts.mint)).toBe(true);
    expect(chain.accounts?.treasuryTokenAccount.equals(accounts.treasuryTokenAccount)).toBe(true);
    expect(await read()).toEqual(before);
    expect(await connection.getSlot()).toBeGreaterThan(slotBefore);
    await bootstrapLocalChain(chain.url, dir);
    expect(await read()).toEqual(before);
    await chain.stop();

    // Without a snapshot the journal replays from genesis to the same state.
    rmSync(join(dir, 'snapshots'), { recursive: true });
    chain = await startLocalChain({ dataDir: dir, bootstrap: false, warn: () => {} });
    connection = new Connection(chain.url, 'confirmed');
    expect(await read()).toEqual(before);
    await chain.stop();
  });

  it('keeps a program added to the ledger runnable after a restart that replays the journal', async () => {
    const dir = tempDir();
    const upgradeable = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');
    const [programData] = PublicKey.findProgramAddressSync([TOKEN_2022_PROGRAM_ID.toBytes()], upgradeable);
    // Token-2022's own ELF (after the 45-byte programdata header), deployed under a new id.
    const source = new LiteSVM().getAccount(address(programData.toBase58()));
    if (!source.exists) throw new Error('litesvm ships no Token-2022 program data');
    const elf = source.data.slice(45);
    const programId = Keypair.generate().publicKey;
    let ledger = openLedger({ dataDir: dir, slotMs: 0 });
    ledger.addProgram(programId.toBase58(), elf);
    await ledger.close();
    rmSync(join(dir, 'snapshots'), { recursive: true });
    ledger = openLedger({ dataDir: dir, slotMs: 0 });
    try {
      const payer = Keypair.generate();
      ledger.requestAirdrop(payer.publicKey.toBase58(), 10n ** 10n);
      const tx = new Transaction({
        feePayer: payer.publicKey,
        recentBlockhash: ledger.latestBlockhash().blockhash,
      }).add(new TransactionInstruction({ programId, keys: [], data: Buffer.from([255]) }));
      tx.sign(payer);
      const result = ledger.sendTransaction(tx.serialize());
      // The program ran (and refused the bogus instruction) instead of being reported as not deployed.
      expect(result.status).toBe('rejected');
      const logs = result.status === 'rejected' ? result.rejection.logs.join('\n') : '';
      expect(logs).toContain(`Program ${programId.toBase58()} consumed`);
    } finally {
      await ledger.close();
    }
  });

  it('bootstraps a LiteSVM in process, idempotently', async () => {
    const dir = tempDir();
    const svm = new LiteSVM();
    const first = await bootstrapLocalChain(svm, dir);
    const snapshot = Buffer.from(svm.toBytes());
    const second = await bootstrapLocalChain(svm, dir);
    expect(second).toEqual(first);
    expect(Buffer.from(svm.toBytes()).equals(snapshot)).toBe(true);
    expect(first.maximumFee).toBe(10n ** 15n);
  });
});
