import {
  encodeDataset,
  globalV4LeafHash,
  globalV5LeafHash,
  parseDataset,
  toHex,
  verifyDataset,
  verifyProof,
} from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import { readWalletTotals } from '../../src/ledger/totals.js';
import { buildRoot, SKIP_AWAITING_PUBLISH, SKIP_NO_WALLETS, SKIP_NOTHING_CHANGED } from '../../src/roots/build.js';
import { loadRootArtifact, loadRootDataset, servableRoots } from '../../src/roots/load.js';
import { readRoot } from '../../src/roots/root-rows.js';
import {
  backends,
  importYields,
  MINT,
  PROGRAM_ID,
  setTotals,
  useFakeChain,
  useRootsDatabase,
  wallet,
} from './fixtures.js';

describe.each(backends)('buildRoot (%s)', (_name, open) => {
  const db = useRootsDatabase(open);
  const fake = useFakeChain();
  const build = (leafVersion: 'v4' | 'v5' = 'v4') =>
    buildRoot(db(), { client: fake.client(), mint: MINT, programId: PROGRAM_ID, leafVersion });
  const blobs = async () =>
    (
      await db().query<{ root_id: string; kind: string }>(sql`
        select root_id::text as root_id, kind from (select distinct root_id, kind from root_blobs) b
        order by b.root_id, kind`)
    ).map((r) => `${r.root_id}:${r.kind}`);

  it('builds seq = latest + 1 from every wallet with a positive total, and stores a loadable tree and dataset', async () => {
    fake.chain().config = fake.chain().configAt(6n);
    await setTotals(db(), [
      [3, 30n],
      [1, 10n],
      [2, 0n],
      [4, 18_446_744_073_709_551_615n],
    ]);
    const result = await build();
    if (!result.built) throw new Error(`not built: ${result.skipped}`);
    expect(result).toMatchObject({ seq: 7n, wallets: 3, total: 18_446_744_073_709_551_655n, superseded: [] });

    const tree = await loadRootArtifact(db().query, result.rootId);
    expect(toHex(tree.root)).toBe(toHex(result.root));
    expect(tree.rootSeq).toBe(7n);
    expect(tree.indexOf(wallet(2))).toBe(-1);
    for (const [n, total] of [
      [1, 10n],
      [3, 30n],
      [4, 18_446_744_073_709_551_615n],
    ] as const) {
      const found = tree.proofForWallet(wallet(n));
      expect(found?.entry.cumulativeTotal).toBe(total);
      const leaf = globalV4LeafHash(MINT.toBytes(), 7n, wallet(n), total);
      expect(verifyProof(leaf, found?.proof ?? [], result.root)).toBe(true);
    }

    const file = await loadRootDataset(db().query, result.rootId);
    expect(Buffer.from(file).equals(Buffer.from(encodeDataset(tree)))).toBe(true);
    const check = await verifyDataset(file, { root: result.root, datasetHash: result.datasetHash, rootSeq: 7n });
    expect(check.problems).toEqual([]);
    const row = await readRoot(db().query, result.rootId);
    expect(row).toMatchObject({ status: 'built', seq: 7n, wallets: 3, leafVersion: 'v4' });
    expect(toHex(row?.datasetHash ?? new Uint8Array())).toBe(toHex(result.datasetHash));
  });

  it('starts at seq 1 when the global root does not exist, and builds nothing without wallets', async () => {
    fake.chain().config = null;
    expect(await build()).toMatchObject({ built: false, skipped: SKIP_NO_WALLETS, seq: 1n });
    await setTotals(db(), [[1, 5n]]);
    expect(await build()).toMatchObject({ built: true, seq: 1n });
  });

  it('skips while a root awaits publish, and when nothing changed since the published root', async () => {
    await setTotals(db(), [[1, 5n]]);
    const first = await build();
    if (!first.built) throw new Error('not built');
    expect(await build()).toEqual({ built: false, skipped: SKIP_AWAITING_PUBLISH, seq: 1n, rootId: first.rootId });

    // Published (as the publish job would record it): the chain is at 1, the ledger unchanged.
    fake.chain().publishDirectly(1n, first.root, first.datasetHash);
    await db().query(sql`update roots set status = 'published', publish_slot = 1 where id = ${first.rootId}`);
    expect(await build()).toEqual({ built: false, skipped: SKIP_NOTHING_CHANGED, seq: 2n, rootId: first.rootId });

    await setTotals(db(), [[1, 6n]]);
    expect(await build()).toMatchObject({ built: true, seq: 2n, wallets: 1, total: 6n });
  });

  it('rebuilds an unpublished root only when something changed or the global root appeared', async () => {
    fake.chain().config = null;
    await setTotals(db(), [[1, 5n]]);
    const first = await build();
    if (!first.built) throw new Error('not built');
    await db().query(sql`update roots set status = 'unpublished' where id = ${first.rootId}`);
    expect(await build()).toMatchObject({ built: false, skipped: SKIP_NOTHING_CHANGED });
    expect((await servableRoots(db().query, MINT.toBytes())).map((r) => r.id)).toEqual([first.rootId]);

    fake.chain().config = fake.chain().configAt(0n);
    const second = await build();
    expect(second).toMatchObject({ built: true, seq: 1n, superseded: [first.rootId] });
    expect((await readRoot(db().query, first.rootId))?.status).toBe('superseded');
    expect(await blobs()).toEqual([
      `${second.built ? second.rootId : 0}:artifact`,
      `${second.built ? second.rootId : 0}:dataset`,
    ]);
  });

  it('replaces a built root the chain has moved past, and records one that landed', async () => {
    await setTotals(db(), [[1, 5n]]);
    const first = await build();
    if (!first.built) throw new Error('not built');
    // Someone else published seq 1: ours can never be published at seq 1.
    fake.chain().publishDirectly(1n, new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    const second = await build();
    expect(second).toMatchObject({ built: true, seq: 2n, superseded: [first.rootId] });
    if (!second.built) throw new Error('not built');

    // Ours landed (an external signer sent it) before its status said so: it is recorded, not replaced.
    fake.chain().publishDirectly(2n, second.root, second.datasetHash);
    await setTotals(db(), [[1, 7n]]);
    const third = await build();
    expect(third).toMatchObject({ built: true, seq: 3n, superseded: [] });
    expect(await readRoot(db().query, second.rootId)).toMatchObject({
      status: 'published',
      publishSlot: fake.chain().config?.roots[2].publishedSlot,
    });
  });

  it('keeps artifacts of the four newest published roots and the one being built, and every dataset', async () => {
    const published: number[] = [];
    for (let seq = 1; seq <= 6; seq++) {
      await setTotals(db(), [[1, BigInt(seq)]]);
      const result = await build();
      if (!result.built) throw new Error(`seq ${seq} not built: ${result.skipped}`);
      expect(result.seq).toBe(BigInt(seq));
      fake.chain().publishDirectly(result.seq, result.root, result.datasetHash);
      await db().query(sql`update roots set status = 'published' where id = ${result.rootId}`);
      published.push(result.rootId);
    }
    await setTotals(db(), [[1, 100n]]);
    const building = await build();
    if (!building.built) throw new Error('not built');
    const expected = [
      ...published.flatMap((id, i) => (i >= 2 ? [`${id}:artifact`, `${id}:dataset`] : [`${id}:dataset`])),
      `${building.rootId}:artifact`,
      `${building.rootId}:dataset`,
    ];
    expect(await blobs()).toEqual(expected);
    await expect(loadRootArtifact(db().query, published[0] as number)).rejects.toThrow(/no stored tree artifact/);
    expect(parseDataset(await loadRootDataset(db().query, published[0] as number)).rootSeq).toBe(1n);
    expect((await servableRoots(db().query, MINT.toBytes())).map((r) => r.seq)).toEqual([6n, 5n, 4n, 3n]);
  });

  it('V5 leaves: base yield of the newest import at or before the seq, attention bonus from the ledger', async () => {
    fake.chain().config = fake.chain().configAt(2n);
    await setTotals(db(), [
      [1, 10n],
      [2, 20n],
    ]);
    await importYields(db(), 2n, [
      [2, 200n],
      [3, 300n],
    ]);
    await importYields(db(), 3n, [[3, 333n]]);
    await importYields(db(), 4n, [[1, 1000n]]); // for a later root: not used by seq 3
    const result = await build('v5');
    if (!result.built) throw new Error('not built');
    const tree = await loadRootArtifact(db().query, result.rootId);
    const rows = [1, 2, 3].map((n) => tree.proofForWallet(wallet(n))?.entry);
    expect(rows.map((e) => [e?.baseYield, e?.attentionBonus])).toEqual([
      [0n, 10n],
      [200n, 20n],
      [333n, 0n],
    ]);
    expect(result.total).toBe(10n + 220n + 333n);
    const found = tree.proofForWallet(wallet(2));
    const leaf = globalV5LeafHash(MINT.toBytes(), 3n, wallet(2), 200n, 20n);
    expect(verifyProof(leaf, found?.proof ?? [], result.root)).toBe(true);

    // V4 with the same ledger: cumulative = credited + base yield.
    await db().query(sql`delete from roots`);
    const v4 = await build('v4');
    if (!v4.built) throw new Error('not built');
    const v4tree = await loadRootArtifact(db().query, v4.rootId);
    expect([1, 2, 3].map((n) => v4tree.proofForWallet(wallet(n))?.entry.cumulativeTotal)).toEqual([10n, 220n, 333n]);
  });

  it('reads the ledger in pages without losing or repeating a wallet', async () => {
    const totals = Array.from({ length: 250 }, (_, i) => [i + 1, BigInt(i + 1)] as [number, bigint]);
    await setTotals(db(), totals);
    const pages: number[] = [];
    const snapshot = await readWalletTotals(db(), {
      leafVersion: 'v4',
      rootSeq: 1n,
      pageSize: 100,
      onProgress: (done) => pages.push(done),
    });
    expect(pages).toEqual([100, 200, 250]);
    expect(snapshot.count).toBe(250);
    expect(snapshot.total).toBe((250n * 251n) / 2n);
    const leaves = snapshot.leaves;
    if (leaves === null) throw new Error('no leaves');
    const amounts = new DataView(leaves.amounts.buffer, leaves.amounts.byteOffset);
    for (let i = 0; i < 250; i++) {
      expect(toHex(leaves.wallets.subarray(i * 32, i * 32 + 32))).toBe(toHex(wallet(i + 1)));
      expect(amounts.getBigUint64(i * 8, true)).toBe(BigInt(i + 1));
    }
  });
});
