// Many senders at once: every transaction lands exactly once, in one serialized order.
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { readKeypairFile } from '../../src/chain/index.js';
import { ata, must, transferTx, useLocalChain } from './helpers.js';

describe('concurrent senders', () => {
  const { chain, connection } = useLocalChain();

  it('lands 50 transactions from 5 senders sent at once exactly once each', async () => {
    const { mint, keyPaths } = must(chain().accounts);
    const authority = readKeypairFile(keyPaths.treasuryAuthority);
    const senders = Array.from({ length: 5 }, () => Keypair.generate());
    const recipient = Keypair.generate().publicKey;
    let latest = await connection().getLatestBlockhash();
    const fund = new Transaction({ feePayer: authority.publicKey, recentBlockhash: latest.blockhash });
    for (const sender of senders) {
      fund.add(
        SystemProgram.transfer({
          fromPubkey: authority.publicKey,
          toPubkey: sender.publicKey,
          lamports: LAMPORTS_PER_SOL,
        }),
      );
    }
    fund.sign(authority);
    await connection().confirmTransaction({
      signature: await connection().sendRawTransaction(fund.serialize()),
      ...latest,
    });
    for (const sender of senders) {
      latest = await connection().getLatestBlockhash();
      const tx = transferTx(mint, authority, sender.publicKey, 1000n * 10n ** 9n, latest.blockhash);
      await connection().confirmTransaction({
        signature: await connection().sendRawTransaction(tx.serialize()),
        ...latest,
      });
    }

    latest = await connection().getLatestBlockhash();
    const txs = senders.flatMap((sender, s) =>
      Array.from({ length: 10 }, (_, i) =>
        transferTx(mint, sender, recipient, BigInt(1 + s * 10 + i) * 10n ** 9n, latest.blockhash),
      ),
    );
    // Every transaction twice, all at once: the duplicates must not land again.
    const sends = [...txs, ...txs].map((tx) =>
      connection().sendRawTransaction(tx.serialize(), { skipPreflight: true }),
    );
    const signatures = await Promise.all(sends);
    const unique = [...new Set(signatures)];
    expect(unique).toHaveLength(50);
    await Promise.all(unique.map((signature) => connection().confirmTransaction({ signature, ...latest })));
    const { value } = await connection().getSignatureStatuses(unique);
    expect(value.every((status) => status?.err === null && status.confirmationStatus === 'finalized')).toBe(true);

    const landed = await connection().getSignaturesForAddress(ata(mint, recipient));
    expect(landed).toHaveLength(50);
    expect(new Set(landed.map((entry) => entry.signature))).toEqual(new Set(unique));
    const total = (50n * 51n) / 2n;
    const fees = Array.from({ length: 50 }, (_, i) => (BigInt(i + 1) * 10n ** 9n * 50n) / 10_000n).reduce(
      (a, b) => a + b,
    );
    const balance = await connection().getTokenAccountBalance(ata(mint, recipient));
    expect(BigInt(balance.value.amount)).toBe(total * 10n ** 9n - fees);
    for (const sender of senders) {
      expect(await connection().getSignaturesForAddress(sender.publicKey)).toHaveLength(12);
    }
  });
});
