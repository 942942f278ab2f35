import {
  buildGlobalRootTree,
  datasetHash,
  encodeDataset,
  globalLeavesFromEntries,
  readU64LE,
  toHex,
} from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import {
  BlockhashExpiredError,
  findGlobalRootConfigPda,
  findProtocolStatePda,
  RpcError,
  sendAndConfirm,
} from '@attention-oracle/sdk';
import { Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { activeAlarms, clearAlarm, raiseAlarm } from '../../src/alarms.js';
import { buildRoot, SKIP_NOTHING_CHANGED } from '../../src/roots/build.js';
import { noProgramMessage } from '../../src/roots/chain-state.js';
import { importDataset } from '../../src/roots/datasets.js';
import { type PublishSigner, publishRoot } from '../../src/roots/publish.js';
import { compressDataset } from '../../src/roots/root-blobs.js';
import { readRoot } from '../../src/roots/root-rows.js';
import { backends, MINT, PROGRAM_ID, setTotals, useFakeChain, useRootsDatabase, wallet } from './fixtures.js';

/** A root someone else published: its tree and dataset file. */
async function foreignRoot(seq: bigint, totals: [number, bigint][]) {
  const leaves = globalLeavesFromEntries(
    'v4',
    totals.map(([n, cumulativeTotal]) => ({ wallet: wallet(n), cumulativeTotal })),
  );
  const tree = await buildGlobalRootTree({ mint: MINT.toBytes(), rootSeq: seq, leaves });
  const file = encodeDataset(tree);
  return { root: tree.root, file, hash: await datasetHash(file) };
}

describe.each(backends)('publishRoot (%s)', (_name, open) => {
  const db = useRootsDatabase(open);
  const fake = useFakeChain();
  const build = async () => {
    const result = await buildRoot(db(), {
      client: fake.client(),
      mint: MINT,
      programId: PROGRAM_ID,
      leafVersion: 'v4',
    });
    if (!result.built) throw new Error(`not built: ${result.skipped}`);
    return result;
  };
  const publish = (rootId: number, signer: PublishSigner = fake.publisher) =>
    publishRoot(db(), { client: fake.client(), rootId, programId: PROGRAM_ID, signer, pollEveryMs: 5 });
  const alarmNames = async () => (await activeAlarms(db().query)).map((a) => a.name);

  it('publishes the first root: one publish_global_root with seq 1, the root, the dataset hash and its accounts', async () => {
    await setTotals(db(), [
      [1, 10n],
      [2, 20n],
    ]);
    const built = await build();
    const result = await publish(built.rootId);
    const chain = fake.chain();
    expect(chain.sent).toHaveLength(1);
    const [sent] = chain.sent;
    expect(sent).toMatchObject({ seq: 1n, landed: true, programId: PROGRAM_ID.toBase58() });
    expect(toHex(sent?.root ?? new Uint8Array())).toBe(toHex(built.root));
    expect(toHex(sent?.datasetHash ?? new Uint8Array())).toBe(toHex(built.datasetHash));
    expect(sent?.feePayer).toBe(fake.publisher.publicKey.toBase58());
    expect(sent?.accounts).toEqual([
      { pubkey: fake.publisher.publicKey.toBase58(), isSigner: true, isWritable: true },
      {
        pubkey: findProtocolStatePda({ programId: PROGRAM_ID }).address.toBase58(),
        isSigner: false,
        isWritable: false,
      },
      {
        pubkey: findGlobalRootConfigPda({ programId: PROGRAM_ID, mint: MINT }).address.toBase58(),
        isSigner: false,
        isWritable: true,
      },
    ]);
    const slot = chain.config?.roots[1].publishedSlot;
    expect(result).toMatchObject({ status: 'published', signature: sent?.signature, slot });
    expect(await readRoot(db().query, built.rootId)).toMatchObject({
      status: 'published',
      publishSignature: sent?.signature,
      publishSlot: slot,
      reason: null,
    });
    expect(await alarmNames()).toEqual([]);
  });

  it('publishes the next root on top of its own previous root', async () => {
    await setTotals(db(), [[1, 10n]]);
    await publish((await build()).rootId);
    await setTotals(db(), [
      [1, 15n],
      [3, 1n],
    ]);
    const next = await build();
    expect(next.seq).toBe(2n);
    expect(await publish(next.rootId)).toMatchObject({ status: 'published', seq: 2n });
    expect(fake.chain().sent.map((s) => [s.seq, s.landed])).toEqual([
      [1n, true],
      [2n, true],
    ]);
    expect(fake.chain().config?.latestRootSeq).toBe(2n);
  });

  it('records a root already on chain as published and sends nothing', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    fake.chain().publishDirectly(1n, built.root, built.datasetHash);
    const result = await publish(built.rootId);
    expect(result).toMatchObject({ status: 'published', slot: fake.chain().config?.roots[1].publishedSlot });
    expect(fake.chain().calls).not.toContain('sendTransaction');
    // Published rows answer at once, without asking the chain.
    const calls = fake.chain().calls.length;
    expect((await publish(built.rootId)).status).toBe('published');
    expect(fake.chain().calls.length).toBe(calls);
  });

  it('stops at a foreign latest root with an alarm, and publishes on top of it once its dataset is imported', async () => {
    const foreign = await foreignRoot(1n, [
      [1, 5n],
      [9, 50n],
    ]);
    fake.chain().publishDirectly(1n, foreign.root, foreign.hash);
    await setTotals(db(), [
      [1, 10n],
      [9, 50n],
    ]);
    const built = await build();
    expect(built.seq).toBe(2n);
    const stopped = await publish(built.rootId);
    expect(stopped.status).toBe('alarm');
    expect(stopped.message).toContain('not published by this system');
    expect(await alarmNames()).toEqual(['root-publish']);
    expect((await readRoot(db().query, built.rootId))?.status).toBe('alarm');
    expect(fake.chain().sent).toEqual([]);
    // Nothing changed in the ledger: the alarmed root stands (the publish job retries it), no rebuild.
    expect(
      await buildRoot(db(), { client: fake.client(), mint: MINT, programId: PROGRAM_ID, leafVersion: 'v4' }),
    ).toEqual({ built: false, skipped: SKIP_NOTHING_CHANGED, seq: 2n, rootId: built.rootId });

    const imported = await importDataset(db(), foreign.file, {
      client: fake.client(),
      programId: PROGRAM_ID,
      actor: 'test',
    });
    expect(imported).toMatchObject({ imported: true, seq: 1n, wallets: 2, total: 55n });
    const published = await publish(built.rootId);
    expect(published.status).toBe('published');
    expect(fake.chain().sent.map((s) => s.seq)).toEqual([2n]);
    expect(await alarmNames()).toEqual([]);
  });

  it('refuses a root that would lower a total of the previous root, or drop its wallet', async () => {
    const foreign = await foreignRoot(1n, [
      [1, 100n],
      [2, 5n],
    ]);
    fake.chain().publishDirectly(1n, foreign.root, foreign.hash);
    await importDataset(db(), foreign.file, { client: fake.client(), programId: PROGRAM_ID, actor: 'test' });
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    const result = await publish(built.rootId);
    expect(result.status).toBe('alarm');
    expect(result.message).toContain("1 wallets' totals are below seq 1 and 1 wallets of seq 1 are missing");
    expect(result.message).toContain('100 -> 10');
    expect(fake.chain().sent).toEqual([]);
    expect(await alarmNames()).toEqual(['root-publish']);
  });

  it('alarms when the chain holds another root at this seq (before or while sending)', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    const other = new Uint8Array(32).fill(4);
    fake.chain().publishDirectly(1n, other, other);
    const before = await publish(built.rootId);
    expect(before.status).toBe('alarm');
    expect(before.message).toContain('someone else published it');
    expect(fake.chain().sent).toEqual([]);

    // A race: another publisher lands seq 2 between our chain read and our send. The program refuses ours.
    await db().query(sql`delete from roots`);
    await clearAlarm(db().query, 'root-publish');
    const foreign = await foreignRoot(1n, [[1, 10n]]);
    fake.chain().config = fake.chain().configAt(0n);
    fake.chain().publishDirectly(1n, foreign.root, foreign.hash);
    await importDataset(db(), foreign.file, { client: fake.client(), programId: PROGRAM_ID, actor: 'test' });
    const second = await build();
    expect(second.seq).toBe(2n);
    fake.chain().beforePublish = () => {
      fake.chain().beforePublish = undefined;
      fake.chain().publishDirectly(2n, other, other);
    };
    const raced = await publish(second.rootId);
    expect(raced.status).toBe('alarm');
    expect(raced.message).toContain('seq 2 is on chain with root');
    expect(fake.chain().sent.map((s) => [s.seq, s.landed])).toEqual([[2n, false]]);
  });

  it('marks a root the chain has moved past superseded; the next build takes the next seq', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    const other = new Uint8Array(32).fill(4);
    fake.chain().publishDirectly(1n, other, other);
    fake.chain().publishDirectly(2n, other, other);
    expect(await publish(built.rootId)).toMatchObject({ status: 'superseded' });
    expect(await alarmNames()).toEqual([]);
    expect((await build()).seq).toBe(3n);
  });

  it('leaves the root built when the RPC fails before sending; the retry publishes it once', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    fake.chain().fail('getAccountInfo', { kind: 'http', status: 500 }, 2);
    await expect(publish(built.rootId)).rejects.toBeInstanceOf(RpcError);
    expect((await readRoot(db().query, built.rootId))?.status).toBe('built');
    fake.chain().fail('getLatestBlockhash', { kind: 'http', status: 429 }, 1); // retried inside the client
    expect((await publish(built.rootId)).status).toBe('published');
    expect(fake.chain().sent).toHaveLength(1);
  });

  it('confirms a send whose answer never came from its status, sending the same bytes only', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    fake.chain().fail('sendTransaction', { kind: 'hang' }, 2);
    const result = await publish(built.rootId);
    expect(result.status).toBe('published');
    expect(fake.chain().sent).toHaveLength(1);
    expect(result.signature).toBe(fake.chain().sent[0]?.signature);
    expect(fake.chain().config?.latestRootSeq).toBe(1n);
  });

  it.each([
    ['still hides it: the signature is left for chain-watch', false],
    ['reports it: the signature sent is confirmed', true],
  ])(
    'a landed send whose confirmation was lost is found on chain by the retry, never sent again; the node %s',
    async (_what, reveal) => {
      await setTotals(db(), [[1, 10n]]);
      const built = await build();
      fake.chain().fail('sendTransaction', { kind: 'lost-confirmation' });
      await expect(publish(built.rootId)).rejects.toBeInstanceOf(BlockhashExpiredError);
      const signature = fake.chain().sent[0]?.signature ?? '';
      expect(await readRoot(db().query, built.rootId)).toMatchObject({ status: 'built', publishSignature: signature });

      if (reveal) fake.chain().reveal(signature);
      const retried = await publish(built.rootId);
      expect(retried).toMatchObject({
        status: 'published',
        signature: reveal ? signature : null,
        slot: fake.chain().config?.roots[1].publishedSlot,
      });
      expect((await readRoot(db().query, built.rootId))?.publishSignature).toBe(reveal ? signature : null);
      expect(fake.chain().sent).toHaveLength(1);
      expect(fake.chain().config?.latestRootSeq).toBe(1n);
    },
  );

  it('with an external signer: stores the unsigned transaction, then records the publish once it lands', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    const external = { external: true } as const;
    expect(await publish(built.rootId, external)).toMatchObject({ status: 'awaiting-signature' });
    const row = await readRoot(db().query, built.rootId);
    const unsigned = Transaction.from(Buffer.from(row?.unsignedTx ?? new Uint8Array()));
    expect(unsigned.feePayer?.toBase58()).toBe(fake.publisher.publicKey.toBase58()); // the ProtocolState's publisher
    expect(unsigned.signatures.every((s) => s.signature === null)).toBe(true);
    const [ix] = unsigned.instructions;
    expect(readU64LE(ix?.data ?? new Uint8Array(16), 8)).toBe(1n);
    expect(toHex(ix?.data.subarray(16, 48) ?? new Uint8Array())).toBe(toHex(built.root));

    expect((await publish(built.rootId, external)).status).toBe('awaiting-signature');
    expect(fake.chain().calls).not.toContain('sendTransaction');
    expect(fake.chain().calls.filter((c) => c === 'getLatestBlockhash')).toHaveLength(1);

    // The signer signs and sends it.
    await fake.publisher.signTransaction(unsigned);
    const { signature } = await sendAndConfirm(fake.client(), unsigned, {
      lastValidBlockHeight: fake.chain().blockHeight + 150,
      pollEveryMs: 5,
    });
    const landed = await publish(built.rootId, external);
    expect(landed).toMatchObject({ status: 'published', slot: fake.chain().config?.roots[1].publishedSlot });
    expect(fake.chain().sent.map((s) => s.signature)).toEqual([signature]);
  });

  it('on a chain without the program: unpublished, with a plain message and no alarm', async () => {
    fake.chain().programDeployed = false;
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    expect(built.seq).toBe(1n);
    const result = await publish(built.rootId);
    expect(result).toMatchObject({ status: 'unpublished', message: noProgramMessage(PROGRAM_ID) });
    expect(result.message).toMatch(/^no Attention Oracle program is deployed at \w+ on this chain/);
    expect(await readRoot(db().query, built.rootId)).toMatchObject({ status: 'unpublished', reason: result.message });
    expect(await alarmNames()).toEqual([]);
    expect(fake.chain().sent).toEqual([]);
  });

  it('stops with an alarm when the stored dataset does not rebuild to the root', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    const other = await foreignRoot(1n, [[1, 11n]]);
    await db().query(sql`update root_blobs set data = ${await compressDataset(other.file)}
      where root_id = ${built.rootId} and kind = 'dataset'`);
    const result = await publish(built.rootId);
    expect(result.status).toBe('alarm');
    expect(result.message).toContain('does not match its stored dataset');
    expect(fake.chain().sent).toEqual([]);
  });

  it('waits while the treasury-coverage alarm is active', async () => {
    await setTotals(db(), [[1, 10n]]);
    const built = await build();
    await raiseAlarm(db().query, 'treasury-coverage', 'the treasury is 5 short');
    const waiting = await publish(built.rootId);
    expect(waiting.status).toBe('built');
    expect(waiting.message).toContain('treasury-coverage alarm is active: the treasury is 5 short');
    expect(fake.chain().sent).toEqual([]);
    await clearAlarm(db().query, 'treasury-coverage');
    expect((await publish(built.rootId)).status).toBe('published');
  });

  it('refuses a root id that does not exist', async () => {
    await expect(publish(987_654)).rejects.toThrow('there is no root with id 987654');
    await expect(publish(0)).rejects.toThrow('a root id is a positive integer');
  });
});
