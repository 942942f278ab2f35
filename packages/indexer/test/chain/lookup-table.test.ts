// Address lookup tables on the local chain: the ledger keeps the SlotHashes sysvar at the latest 512 slots, so a table
// created for a recent slot is accepted (and one for an older slot refused, as on Solana), and a v0 transaction loads
// its accounts from the table.
import {
  AddressLookupTableProgram,
  Keypair,
  SystemProgram,
  sendAndConfirmTransaction,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
} from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { readKeypairFile } from '../../src/chain/index.js';
import { must, useLocalChain } from './helpers.js';

describe('address lookup tables on the local chain', () => {
  // The clock moves only when the test warps it, so the slot ages below are exact.
  const { chain, connection } = useLocalChain({ slotMs: 0, bootstrap: { program: false } });

  it('creates a table for a recent slot, refuses one older than 512 slots, and serves v0 transactions', async () => {
    const payer = readKeypairFile(must(chain().accounts).keyPaths.treasuryAuthority);
    chain().ledger.warp(600);
    const slot = await connection().getSlot('confirmed');
    const create = (recentSlot: number) =>
      AddressLookupTableProgram.createLookupTable({ authority: payer.publicKey, payer: payer.publicKey, recentSlot });

    const [stale] = create(slot - 512);
    const refused = await sendAndConfirmTransaction(connection(), new Transaction().add(stale), [payer]).catch(
      (error: Error & { logs?: string[] }) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as { logs?: string[] }).logs).toContain(`Program log: ${slot - 512} is not a recent slot`);

    const recipients = Array.from({ length: 3 }, () => Keypair.generate().publicKey);
    const [ix, table] = create(slot - 511);
    const extend = AddressLookupTableProgram.extendLookupTable({
      lookupTable: table,
      authority: payer.publicKey,
      payer: payer.publicKey,
      addresses: recipients,
    });
    await sendAndConfirmTransaction(connection(), new Transaction().add(ix, extend), [payer]);
    chain().ledger.warp(1);
    const account = must((await connection().getAddressLookupTable(table)).value, 'the table');
    expect(account.state.addresses.map((a) => a.toBase58())).toEqual(recipients.map((a) => a.toBase58()));

    // A v0 transfer to each recipient, their addresses loaded from the table.
    const latest = await connection().getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: latest.blockhash,
      instructions: recipients.map((toPubkey) =>
        SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey, lamports: 1_000_000 }),
      ),
    }).compileToV0Message([account]);
    expect(message.addressTableLookups).toHaveLength(1);
    const tx = new VersionedTransaction(message);
    tx.sign([payer]);
    const signature = await connection().sendTransaction(tx);
    expect((await connection().confirmTransaction({ signature, ...latest })).value.err).toBeNull();
    for (const recipient of recipients) expect(await connection().getBalance(recipient)).toBe(1_000_000);
  });
});
