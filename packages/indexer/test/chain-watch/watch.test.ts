import { base58Encode, keccak256, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { type AttentionOracleEvent, RpcError, sendAndConfirm } from '@attention-oracle/sdk';
import { PublicKey, Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { readCursor } from '../../src/chain-watch/cursor.js';
import { watchChain } from '../../src/chain-watch/watch.js';
import { buildRoot } from '../../src/roots/build.js';
import { publishRoot } from '../../src/roots/publish.js';
import { readRoot } from '../../src/roots/root-rows.js';
import { backends, MINT, PROGRAM_ID, setTotals, useFakeChain, useRootsDatabase, wallet } from '../roots/fixtures.js';

/** A distinct 64-byte signature per n, base58. */
const signature = (n: number) => base58Encode(Uint8Array.from({ length: 64 }, (_, i) => ((i * 31 + n * 17) % 251) + 1));
const claim = (n: number, amount: bigint, cumulativeTotal: bigint, rootSeq = 1n): AttentionOracleEvent => ({
  name: 'GlobalRewardsClaimed',
  data: { claimer: new PublicKey(wallet(n)), amount, cumulativeTotal, rootSeq },
});

describe.each(backends)('watchChain (%s)', (_name, open) => {
  const db = useRootsDatabase(open);
  const fake = useFakeChain();
  const watch = (batch = 2) => watchChain(db(), { client: fake.client(), programId: PROGRAM_ID, batch });
  const claims = async () =>
    db().query<{
      signature: string;
      event_index: number;
      claimer: Uint8Array;
      amount: string;
      cumulative_total: string;
      root_seq: string;
      slot: string;
    }>(sql`
      select signature, event_index, claimer, amount::text as amount, cumulative_total::text as cumulative_total,
        root_seq::text as root_seq, slot::text as slot from chain_claims order by slot, event_index`);

  it('records claims and root publishes oldest first, skips failed transactions, and moves the cursor', async () => {
    const chain = fake.chain();
    const a = chain.addHistory(signature(1), [claim(1, 5n, 5n)]);
    const root = new Uint8Array(32).fill(8);
    const hash = new Uint8Array(32).fill(9);
    const b = chain.addHistory(signature(2), [chain.publishedEvent(1n, root, hash, fake.publisher.publicKey, 77)]);
    chain.addHistory(signature(3), [claim(2, 1n, 1n)], { err: { InstructionError: [0, { Custom: 6004 }] } });
    const d = chain.addHistory(signature(4), [claim(2, 3n, 3n), claim(3, 4n, 4n, 2n)]);

    const result = await watch();
    expect(result).toMatchObject({ transactions: 3, failed: 1, claims: 3, roots: 1, incomplete: false });
    expect(result.cursor).toEqual({ signature: d.signature, slot: BigInt(d.slot) });
    expect(await readCursor(db().query, `program:${PROGRAM_ID.toBase58()}`)).toEqual(result.cursor);
    const rows = await claims();
    expect(
      rows.map((r) => [r.signature, r.event_index, toHex(r.claimer), r.amount, r.cumulative_total, r.root_seq, r.slot]),
    ).toEqual([
      [a.signature, 0, toHex(wallet(1)), '5', '5', '1', String(a.slot)],
      [d.signature, 0, toHex(wallet(2)), '3', '3', '1', String(d.slot)],
      [d.signature, 1, toHex(wallet(3)), '4', '4', '2', String(d.slot)],
    ]);
    const events = await db().query<{ signature: string; root_seq: string; root: Uint8Array; slot: string }>(sql`
      select signature, root_seq::text as root_seq, root, slot::text as slot from chain_root_events`);
    expect(events.map((e) => [e.signature, e.root_seq, toHex(e.root), e.slot])).toEqual([
      [b.signature, '1', toHex(root), '77'],
    ]);

    // Nothing new: nothing recorded, the cursor stays, and the history is asked only for what follows it.
    expect(await watch()).toMatchObject({ transactions: 0, claims: 0, roots: 0, cursor: result.cursor });
  });

  it('resumes after a crash mid-run from the cursor, and recording again adds nothing', async () => {
    const chain = fake.chain();
    const entries = [1, 2, 3, 4, 5].map((n) => chain.addHistory(signature(n), [claim(n, BigInt(n), BigInt(n))]));
    // The second batch of getTransaction fails through every retry: the run dies after its first chunk.
    chain.fail('getTransaction', { kind: 'http', status: 500 }, 4, 2);
    await expect(watch()).rejects.toBeInstanceOf(RpcError);
    expect((await claims()).map((r) => r.signature)).toEqual([entries[0]?.signature, entries[1]?.signature]);
    expect((await readCursor(db().query, `program:${PROGRAM_ID.toBase58()}`))?.signature).toBe(entries[1]?.signature);

    chain.clearFaults();
    expect(await watch()).toMatchObject({ transactions: 3, claims: 3 });
    expect((await claims()).map((r) => r.signature)).toEqual(entries.map((e) => e.signature));

    // Delivered again from scratch (a lost cursor): every insert is a no-op.
    await db().query(sql`delete from chain_cursors`);
    expect(await watch()).toMatchObject({ transactions: 5, claims: 0, roots: 0 });
    expect(await claims()).toHaveLength(5);
  });

  it('stops at a transaction the node does not serve yet and takes it up on the next run', async () => {
    const chain = fake.chain();
    const entries = [1, 2, 3].map((n) => chain.addHistory(signature(n), [claim(n, 1n, 1n)]));
    chain.fail('getTransaction', { kind: 'null' }, 1, 1);
    const first = await watch(10);
    expect(first).toMatchObject({ transactions: 1, claims: 1, incomplete: true });
    expect(first.cursor?.signature).toBe(entries[0]?.signature);
    expect(await watch(10)).toMatchObject({ transactions: 2, claims: 2, incomplete: false });
  });

  it('with a mint: records only that mint, and claims only from transactions that name it', async () => {
    const chain = fake.chain();
    const otherMint = new PublicKey(keccak256('another mint'));
    chain.addHistory(signature(1), [claim(1, 1n, 1n)], { accountKeys: [fake.publisher.publicKey.toBase58()] });
    chain.addHistory(signature(2), [
      {
        name: 'GlobalRootPublished',
        data: {
          ...chain.publishedEvent(1n, new Uint8Array(32), new Uint8Array(32), otherMint, 5).data,
          mint: otherMint,
        },
      },
    ]);
    chain.addHistory(signature(3), [claim(2, 2n, 2n)]);
    const result = await watchChain(db(), { client: fake.client(), programId: PROGRAM_ID, mint: MINT });
    expect(result).toMatchObject({ transactions: 3, claims: 1, roots: 0 });
    expect((await claims()).map((r) => toHex(r.claimer))).toEqual([toHex(wallet(2))]);
  });

  it('marks a root an external signer published, and marks it finalized once the finalized chain holds it', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await buildRoot(db(), {
      client: fake.client(),
      mint: MINT,
      programId: PROGRAM_ID,
      leafVersion: 'v4',
    });
    if (!built.built) throw new Error('not built');
    await publishRoot(db(), {
      client: fake.client(),
      rootId: built.rootId,
      programId: PROGRAM_ID,
      signer: { external: true },
    });
    const row = await readRoot(db().query, built.rootId);
    const unsigned = Transaction.from(Buffer.from(row?.unsignedTx ?? new Uint8Array()));
    await fake.publisher.signTransaction(unsigned);
    const sent = await sendAndConfirm(fake.client(), unsigned, {
      lastValidBlockHeight: fake.chain().blockHeight + 150,
      pollEveryMs: 5,
    });
    fake.chain().finalizedConfig = fake.chain().configAt(0n);

    const seen = await watch();
    expect(seen).toMatchObject({ roots: 1, rootsPublished: 1, finalized: 0 });
    expect(await readRoot(db().query, built.rootId)).toMatchObject({
      status: 'published',
      publishSignature: sent.signature,
      publishSlot: BigInt(sent.slot),
      finalized: false,
    });

    fake.chain().finalizedConfig = undefined;
    expect(await watch()).toMatchObject({ roots: 0, rootsPublished: 0, finalized: 1 });
    expect((await readRoot(db().query, built.rootId))?.finalized).toBe(true);
  });
});
