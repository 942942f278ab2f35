// admin.roots on the local program: a root built and published through the admin API is on chain and served; publish
// refuses without the publisher key and in direct settlement; in direct settlement a build is marked unpublished.
import type { DatabaseHandle } from '@attention-oracle/db';
import {
  addCorrection,
  bindWallet,
  type ChainContext,
  creditSealedEpochs,
  resolveChainContext,
} from '@attention-oracle/indexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../../indexer/test/chain/helpers.js';
import { epochAt, sealWith } from '../../../indexer/test/ledger/fixtures.js';
import {
  latestRootSeq,
  type ProgramFixture,
  programFixture,
  useProgramChain,
  wallet,
} from '../../../indexer/test/program/program-fixture.js';
import { backends } from '../../../indexer/test/roots/fixtures.js';
import { createLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { codeOf, testEnv } from '../helpers.js';
import { adminClient, auditRows, keyFor } from './fixtures.js';

const TOKEN = 1_000_000_000n;

describe.each(backends)('admin roots on the local program (%s)', (name, open) => {
  const chain = useProgramChain();
  let db: DatabaseHandle;
  let drop = async () => {};
  let f: ProgramFixture;
  let key = '';
  let aliceAddress = '';
  /** With the publisher key; without it; in direct settlement. */
  let publishing: RunningServer;
  let noPublisher: RunningServer;
  let direct: RunningServer;

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    f = programFixture(chain());
    await sealWith(db, epochAt(0), { '1001': 5n * TOKEN });
    const alice = wallet(f, `admin alice ${name}`);
    aliceAddress = alice.publicKey.toBase58();
    await bindWallet(db, { userId: 1001n, wallet: alice.publicKey.toBytes(), via: 'admin', actor: 'test' });
    await creditSealedEpochs(db, { actor: 'test' });
    key = await keyFor(db, 'ops', ['roots']);
    const env = testEnv({
      SOLANA_RPC_URL: chain().url,
      MINT: f.config.mint.toBase58(),
      ATTENTION_ORACLE_PROGRAM_ID: f.config.programId.toBase58(),
      SETTLEMENT: 'merkle',
      PUBLISHER_KEYPAIR_PATH: must(chain().accounts).keyPaths.publisher,
    });
    const start = (context: ChainContext) =>
      startServer({ db, env, chain: context, port: 0, logger: createLogger('silent') });
    const withPublisher = await resolveChainContext(env.indexer, { client: f.client, publisher: true });
    publishing = await start(withPublisher);
    noPublisher = await start(await resolveChainContext(env.indexer, { client: f.client }));
    direct = await start({ ...withPublisher, settlement: 'direct', settlementReason: 'SETTLEMENT=direct' });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([publishing, noPublisher, direct].map((s) => s?.close()));
    await drop();
  });

  it('builds the next root, refuses to publish without the publisher or in direct mode, then publishes it', async () => {
    const client = adminClient(publishing.url, key);
    const built = await client.admin.roots.build.mutate();
    expect(built).toMatchObject({ built: true, seq: '1', wallets: 1, total: (5n * TOKEN).toString(), note: null });
    expect(await client.admin.roots.build.mutate()).toMatchObject({
      built: false,
      seq: '1',
      rootId: built.rootId,
      skipped: 'a root is awaiting publish',
    });

    const refusal = await codeOf(adminClient(noPublisher.url, key).admin.roots.publish.mutate({}));
    expect(refusal).toBe('PRECONDITION_FAILED');
    const directRes = await fetch(`${direct.url}/v1/admin/roots/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(directRes.status).toBe(412);
    expect(((await directRes.json()) as { message: string }).message).toBe(
      'settlement is direct (SETTLEMENT=direct): roots are built and proofs served, not published',
    );
    expect(await codeOf(client.admin.roots.publish.mutate({ rootId: 999 }))).toBe('NOT_FOUND');

    const res = await fetch(`${publishing.url}/v1/admin/roots/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rootId: built.rootId }),
    });
    expect(res.status).toBe(200);
    const published = (await res.json()) as { status: string; seq: string; signature: string; slot: string };
    expect(published).toMatchObject({ status: 'published', seq: '1', unsignedTransaction: null });
    expect(published.signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    expect(await latestRootSeq(f)).toBe(1n);

    const { roots } = await client.admin.roots.list.query({});
    expect(roots[0]).toMatchObject({ id: built.rootId, status: 'published', publishSignature: published.signature });
    expect(await codeOf(client.admin.roots.publish.mutate({}))).toBe('PRECONDITION_FAILED');

    await publishing.deps.trees.refresh();
    const proof = await fetch(`${publishing.url}/v1/proofs/1/${aliceAddress}`);
    expect(proof.status).toBe(200);
    expect((await auditRows(db)).filter((r) => r.actor === 'api-key:ops')).toEqual([
      { actor: 'api-key:ops', action: 'roots.build', subject: 'seq 1' },
      { actor: 'api-key:ops', action: 'roots.build', subject: 'seq 1' },
      { actor: 'api-key:ops', action: 'roots.publish', subject: `root ${built.rootId}` },
    ]);
  });

  it('in direct settlement, a build is marked unpublished with the reason', async () => {
    await addCorrection(db, { viewer: '1001', amount: TOKEN, reason: 'test', actor: 'test' });
    const built = await adminClient(direct.url, key).admin.roots.build.mutate();
    expect(built).toMatchObject({
      built: true,
      seq: '2',
      note: 'settlement is direct (SETTLEMENT=direct): roots are built and proofs served, not published',
    });
    const { roots } = await adminClient(direct.url, key).admin.roots.list.query({ limit: 1 });
    expect(roots[0]).toMatchObject({ id: built.rootId, status: 'unpublished', total: (6n * TOKEN).toString() });
  });
});
