import {
  buildGlobalRootTree,
  datasetHash,
  encodeDataset,
  globalLeavesFromEntries,
  InvalidArgumentError,
  toHex,
} from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import { buildRoot } from '../../src/roots/build.js';
import { exportDataset, importDataset } from '../../src/roots/datasets.js';
import { readRoot } from '../../src/roots/root-rows.js';
import { backends, MINT, PROGRAM_ID, setTotals, useFakeChain, useRootsDatabase, wallet } from './fixtures.js';

async function dataset(seq: bigint, totals: [number, bigint][]) {
  const leaves = globalLeavesFromEntries(
    'v4',
    totals.map(([n, cumulativeTotal]) => ({ wallet: wallet(n), cumulativeTotal })),
  );
  const tree = await buildGlobalRootTree({ mint: MINT.toBytes(), rootSeq: seq, leaves });
  const file = encodeDataset(tree);
  return { root: tree.root, file, hash: await datasetHash(file) };
}

describe.each(backends)('datasets (%s)', (_name, open) => {
  const db = useRootsDatabase(open);
  const fake = useFakeChain();
  const importFile = (file: Uint8Array) =>
    importDataset(db(), file, { client: fake.client(), programId: PROGRAM_ID, actor: 'test-operator' });

  it('exports a built root by id and by seq, byte for byte what it built', async () => {
    await setTotals(db(), [
      [1, 10n],
      [2, 20n],
    ]);
    const built = await buildRoot(db(), {
      client: fake.client(),
      mint: MINT,
      programId: PROGRAM_ID,
      leafVersion: 'v4',
    });
    if (!built.built) throw new Error('not built');
    const byId = await exportDataset(db().query, { rootId: built.rootId });
    expect(toHex(await datasetHash(byId))).toBe(toHex(built.datasetHash));
    const bySeq = await exportDataset(db().query, { seq: 1n, mint: MINT.toBytes() });
    expect(Buffer.from(bySeq).equals(Buffer.from(byId))).toBe(true);
    await expect(exportDataset(db().query, { seq: 2n, mint: MINT.toBytes() })).rejects.toThrow(
      'there is no stored root with seq 2 for this mint',
    );
  });

  it('imports a dataset the chain published, once, and audits it; the export gives the same bytes back', async () => {
    const foreign = await dataset(3n, [
      [1, 7n],
      [4, 9n],
    ]);
    fake.chain().publishDirectly(1n, new Uint8Array(32).fill(1), new Uint8Array(32).fill(1));
    fake.chain().publishDirectly(2n, new Uint8Array(32).fill(2), new Uint8Array(32).fill(2));
    fake.chain().publishDirectly(3n, foreign.root, foreign.hash);
    const first = await importFile(foreign.file);
    expect(first).toMatchObject({ imported: true, seq: 3n, wallets: 2, total: 16n });
    expect(await readRoot(db().query, first.rootId)).toMatchObject({
      status: 'imported',
      seq: 3n,
      publishSlot: fake.chain().config?.roots[3].publishedSlot,
    });
    expect(await importFile(foreign.file)).toMatchObject({ imported: false, rootId: first.rootId });
    const audit = await db().query<{ actor: string; action: string; subject: string }>(sql`
      select actor, action, subject from audit_log`);
    expect(audit).toEqual([{ actor: 'test-operator', action: 'root-import', subject: 'seq 3' }]);
    const back = await exportDataset(db().query, { seq: 3n, mint: MINT.toBytes() });
    expect(Buffer.from(back).equals(Buffer.from(foreign.file))).toBe(true);
  });

  it('refuses a dataset the chain does not confirm, naming what differs', async () => {
    const published = await dataset(1n, [[1, 7n]]);
    const other = await dataset(1n, [[1, 8n]]);
    await expect(importFile(other.file)).rejects.toThrow('seq 1 is not among the chain');
    fake.chain().publishDirectly(1n, published.root, published.hash);
    const refused = importFile(other.file);
    await expect(refused).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(refused).rejects.toThrow(`is not what the chain published at seq 1 (root 0x${toHex(published.root)}`);
    fake.chain().config = null;
    await expect(importFile(published.file)).rejects.toThrow('does not exist on this chain');
    await expect(importFile(new TextEncoder().encode('not a dataset\n'))).rejects.toThrow('dataset line 1');
    expect(await db().query(sql`select id from roots`)).toEqual([]);
  });

  it('checks a seq that rotated out of the four on-chain roots against the recorded GlobalRootPublished', async () => {
    const old = await dataset(1n, [[1, 7n]]);
    const signature = fake.chain().publishDirectly(1n, old.root, old.hash);
    for (let seq = 2n; seq <= 5n; seq++) fake.chain().publishDirectly(seq, new Uint8Array(32).fill(9), old.hash);
    await expect(importFile(old.file)).rejects.toThrow('chain-watch recorded no GlobalRootPublished for it');
    await db().query(sql`insert into chain_root_events (signature, event_index, mint, root_seq, root, dataset_hash,
        publisher, slot) values (${signature}, 0, ${MINT.toBytes()}, 1, ${old.root}, ${old.hash}, ${new Uint8Array(32)}, 77)`);
    const imported = await importFile(old.file);
    expect(await readRoot(db().query, imported.rootId)).toMatchObject({
      status: 'imported',
      publishSignature: signature,
      publishSlot: 77n,
    });
  });
});
