// The indexer's publish path, unchanged, against the local program: sealed epochs credited to the ledger, buildRoot,
// publishRoot (packages/indexer/src/roots) on the bootstrapped chain, seq 1 then seq 2; the chain then holds exactly
// the roots and dataset hashes the database recorded, and the stored proofs claim through the program.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { decodeGlobalRootConfig, getClaimInstruction } from '@attention-oracle/sdk';
import { loadRoleKey, type RoleKey } from '@attention-oracle/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindWallet, creditSealedEpochs } from '../../src/ledger/index.js';
import { buildRoot, loadRootArtifact, publishRoot } from '../../src/roots/index.js';
import { ata, must } from '../chain/helpers.js';
import { epochAt, sealWith } from '../ledger/fixtures.js';
import { backends } from '../roots/fixtures.js';
import {
  type ProgramFixture,
  programFixture,
  send,
  tokenBalance,
  transferFee,
  useProgramChain,
  wallet,
} from './program-fixture.js';

const TOKEN = 1_000_000_000n;

describe.each(backends)('the publish path on the local program (%s)', (_name, open) => {
  const chain = useProgramChain();
  let db: DatabaseHandle;
  let drop = async () => {};
  let f: ProgramFixture;
  let publisher: RoleKey;

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    f = programFixture(chain());
    publisher = loadRoleKey('publisher', { path: must(chain().accounts).keyPaths.publisher });
  });
  afterAll(() => drop());

  const chainConfig = async () =>
    decodeGlobalRootConfig(must(await f.connection.getAccountInfo(f.resolved.globalRootConfig)).data);

  /** Credits the sealed epochs, builds the next root and publishes it; returns the build and the publish. */
  async function creditBuildPublish() {
    await creditSealedEpochs(db, { actor: 'test' });
    const built = await buildRoot(db, {
      client: f.client,
      mint: f.config.mint,
      programId: f.config.programId,
      leafVersion: 'v4',
    });
    if (!built.built) throw new Error(`nothing built: ${built.skipped}`);
    const published = await publishRoot(db, {
      client: f.client,
      rootId: built.rootId,
      programId: f.config.programId,
      signer: publisher,
      pollEveryMs: 20,
    });
    return { built, published };
  }

  it('publishes seq 1 then seq 2 from the ledger, and the stored proofs claim through the program', async () => {
    const alice = wallet(f, `publish-path alice ${_name}`);
    const bob = wallet(f, `publish-path bob ${_name}`);
    await sealWith(db, epochAt(0), { '1001': 5n * TOKEN, '1002': 3n * TOKEN });
    await bindWallet(db, { userId: 1001n, wallet: alice.publicKey.toBytes(), via: 'admin', actor: 'test' });
    await bindWallet(db, { userId: 1002n, wallet: bob.publicKey.toBytes(), via: 'admin', actor: 'test' });

    const first = await creditBuildPublish();
    expect(first.built).toMatchObject({ seq: 1n, wallets: 2, total: 8n * TOKEN });
    expect(first.published).toMatchObject({ rootId: first.built.rootId, seq: 1n, status: 'published' });
    let config = await chainConfig();
    expect(config.latestRootSeq).toBe(1n);
    const entry1 = must(config.roots[1]);
    expect(Buffer.from(entry1.root).equals(Buffer.from(first.built.root))).toBe(true);
    expect(Buffer.from(entry1.datasetHash).equals(Buffer.from(first.built.datasetHash))).toBe(true);
    expect(first.published.slot).toBe(entry1.publishedSlot);
    const [row] = await db.query<{ status: string; signature: string | null; slot: string | null }>(
      sql`select status, publish_signature as signature, publish_slot::text as slot from roots where id = ${first.built.rootId}`,
    );
    expect(row).toEqual({
      status: 'published',
      signature: first.published.signature,
      slot: String(entry1.publishedSlot),
    });

    // Alice claims against seq 1 with the stored artifact's proof.
    const tree1 = await loadRootArtifact(db.query, first.built.rootId);
    const proof1 = must(tree1.proofForWallet(alice.publicKey.toBytes()));
    const claim = (tree: typeof tree1, proof: typeof proof1) =>
      getClaimInstruction(
        {
          claimer: alice.publicKey,
          rootSeq: tree.rootSeq,
          proof: proof.proof,
          cumulativeTotal: proof.entry.cumulativeTotal,
        },
        f.config,
      );
    await send(f, [claim(tree1, proof1)], [alice]);
    const aliceAta = ata(f.config.mint, alice.publicKey);
    expect(await tokenBalance(f, aliceAta)).toBe(5n * TOKEN - transferFee(5n * TOKEN));

    // More credit: the next root is seq 2, and pays alice only the increase.
    await sealWith(db, epochAt(1), { '1001': 2n * TOKEN });
    const second = await creditBuildPublish();
    expect(second.built).toMatchObject({ seq: 2n, wallets: 2, total: 10n * TOKEN });
    expect(second.published).toMatchObject({ seq: 2n, status: 'published' });
    config = await chainConfig();
    expect(config.latestRootSeq).toBe(2n);
    expect(Buffer.from(must(config.roots[2]).root).equals(Buffer.from(second.built.root))).toBe(true);
    const tree2 = await loadRootArtifact(db.query, second.built.rootId);
    const proof2 = must(tree2.proofForWallet(alice.publicKey.toBytes()));
    expect(proof2.entry.cumulativeTotal).toBe(7n * TOKEN);
    await send(f, [claim(tree2, proof2)], [alice]);
    expect(await tokenBalance(f, aliceAta)).toBe(
      5n * TOKEN - transferFee(5n * TOKEN) + 2n * TOKEN - transferFee(2n * TOKEN),
    );

    // Publishing again finds it published; nothing changed, so nothing is built.
    expect(
      await publishRoot(db, {
        client: f.client,
        rootId: second.built.rootId,
        programId: f.config.programId,
        signer: publisher,
      }),
    ).toMatchObject({ status: 'published' });
    const again = await buildRoot(db, {
      client: f.client,
      mint: f.config.mint,
      programId: f.config.programId,
      leafVersion: 'v4',
    });
    expect(again).toMatchObject({ built: false, seq: 3n });
    expect((await chainConfig()).latestRootSeq).toBe(2n);
  });
});
