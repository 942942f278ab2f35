// kill -9 of a local chain process: mid-stream of concurrent transfers (with snapshots every 25 records, so recovery
// replays from a snapshot) and right after a confirmation. Every transaction the chain acknowledged must be there
// after the restart, and balances must agree exactly with the transaction history.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBase58 } from '../../src/chain/base58.js';
import { readKeypairFile } from '../../src/chain/index.js';
import { ChainProcess } from './chain-process.js';
import { ata, must, removeTempDirs, tempDir, transferTx } from './helpers.js';

const net = (amount: bigint) => amount - (amount * 50n + 9_999n) / 10_000n;

describe('a local chain killed with SIGKILL', () => {
  afterEach(async () => {
    await ChainProcess.killAll();
    removeTempDirs();
  });

  it('loses no acknowledged transaction and stays consistent', async () => {
    const dir = tempDir();
    let chain = await ChainProcess.start(dir, 25);
    let connection = new Connection(chain.info.url, 'confirmed');
    const authority = readKeypairFile(chain.info.authorityKey);
    const mint = new PublicKey(chain.info.mint);
    const recipients = Array.from({ length: 4 }, () => Keypair.generate().publicKey);
    const amounts = new Map<string, bigint>();
    for (const recipient of recipients) {
      const latest = await connection.getLatestBlockhash();
      const setup = transferTx(mint, authority, recipient, 1n, latest.blockhash);
      amounts.set(encodeBase58(must(setup.signature)), 1n);
      const signature = await connection.sendRawTransaction(
        transferTx(mint, authority, recipient, 1n, latest.blockhash).serialize(),
      );
      await connection.confirmTransaction({ signature, ...latest });
    }

    const acknowledged: string[] = [];
    let next = 1_000n;
    let stop = false;
    const sender = async (recipient: PublicKey) => {
      while (!stop) {
        const amount = next++;
        try {
          const { blockhash } = await connection.getLatestBlockhash();
          const tx = transferTx(mint, authority, recipient, amount, blockhash, false);
          amounts.set(encodeBase58(must(tx.signature)), amount);
          const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
          if (!stop) acknowledged.push(signature);
        } catch {
          return; // the chain is gone
        }
      }
    };
    const senders = recipients.map(sender);
    await expect.poll(() => acknowledged.length, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(120);
    await chain.kill();
    stop = true;
    const acknowledgedAtKill = [...acknowledged];
    await Promise.all(senders);
    // Snapshots were taken mid-stream, so the restart loads one and replays the journal after it.
    const manifest = JSON.parse(readFileSync(join(dir, 'snapshots', 'snapshot.json'), 'utf8')) as { seq: number };
    expect(manifest.seq).toBeGreaterThanOrEqual(25);

    chain = await ChainProcess.start(dir, 25);
    connection = new Connection(chain.info.url, 'confirmed');
    for (let i = 0; i < acknowledgedAtKill.length; i += 200) {
      const { value } = await connection.getSignatureStatuses(acknowledgedAtKill.slice(i, i + 200));
      for (const status of value) expect(status).toMatchObject({ err: null, confirmationStatus: 'finalized' });
    }
    // Balances agree exactly with the landed history: each recipient holds the net of what it received, the
    // treasury the supply minus everything sent (the chain runs the local program, whose treasury holds 9/10 of it).
    let sent = 0n;
    for (const recipient of recipients) {
      const history = await connection.getSignaturesForAddress(ata(mint, recipient));
      let received = 0n;
      for (const { signature, err } of history) {
        expect(err).toBeNull();
        const amount = amounts.get(signature);
        expect(amount, `landed ${signature} was never sent`).toBeDefined();
        received += net(amount ?? 0n);
        sent += amount ?? 0n;
      }
      const balance = await connection.getTokenAccountBalance(ata(mint, recipient));
      expect(BigInt(balance.value.amount)).toBe(received);
    }
    const treasury = await connection.getTokenAccountBalance(ata(mint, authority.publicKey));
    expect(BigInt(treasury.value.amount)).toBe(10n ** 17n - sent);

    // Kill right after one confirmation: it must survive too.
    const latest = await connection.getLatestBlockhash();
    const last = await connection.sendRawTransaction(
      transferTx(mint, authority, must(recipients[0]), 777n, latest.blockhash, false).serialize(),
    );
    await connection.confirmTransaction({ signature: last, ...latest });
    await chain.kill();
    chain = await ChainProcess.start(dir, 25);
    connection = new Connection(chain.info.url, 'confirmed');
    expect((await connection.getSignatureStatus(last)).value).toMatchObject({
      err: null,
      confirmationStatus: 'finalized',
    });
    expect((await connection.getTransaction(last, { maxSupportedTransactionVersion: 0 }))?.meta?.err).toBeNull();
  }, 240_000);
});
