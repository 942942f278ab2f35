// The chain workers end to end in merkle mode, on the local chain with the program: settlement resolves to merkle,
// sealed epochs are credited, the tree-build job builds root seq 1 on its cadence and root-publish publishes it; a
// user-signed claim built with the SDK from the stored tree's proof lands and pays the total net of the fee;
// chain-watch records the GlobalRewardsClaimed event and the treasury coverage check counts it as paid.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { buildClaimTransaction, decodeGlobalRootConfig, sendAndConfirm } from '@attention-oracle/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainContext, resolveChainContext } from '../../src/chain-context.js';
import { loadEnv } from '../../src/env.js';
import { createJobQueue, type JobQueue } from '../../src/jobs/index.js';
import { bindWallet, checkTreasuryCoverage } from '../../src/ledger/index.js';
import { loadRootArtifact } from '../../src/roots/index.js';
import { startWorkers } from '../../src/worker.js';
import { ata, must } from '../chain/helpers.js';
import { epochAt, sealWith } from '../ledger/fixtures.js';
import { backends } from '../roots/fixtures.js';
import { waitForValue } from '../wait-for.js';
import {
  type ProgramFixture,
  programFixture,
  tokenBalance,
  transferFee,
  useProgramChain,
  wallet,
} from './program-fixture.js';

const TOKEN = 1_000_000_000n;

interface RootRow {
  id: number;
  seq: string;
  status: string;
  wallets: number;
  total: string;
}

describe.each(backends)('chain workers in merkle mode on the local program (%s)', (name, open) => {
  const chain = useProgramChain();
  let db: DatabaseHandle;
  let drop = async () => {};
  let queue: JobQueue;
  let context: ChainContext;
  let f: ProgramFixture;

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    f = programFixture(chain());
    const accounts = must(chain().accounts);
    context = await resolveChainContext(
      loadEnv({
        SOLANA_RPC_URL: chain().url,
        MINT: accounts.mint.toBase58(),
        PUBLISHER_KEYPAIR_PATH: accounts.keyPaths.publisher,
        DATA_DIR: '/nonexistent',
      }),
      { publisher: true },
    );
    queue = createJobQueue({ db, pollMs: 50 });
  });
  afterAll(async () => {
    await queue?.close();
    await drop();
  });

  it('resolves merkle settlement, paid from the program treasury, with the publisher loaded', () => {
    expect(context.settlement).toBe('merkle');
    expect(context.programId.equals(f.config.programId)).toBe(true);
    expect(context.treasury.equals(must(chain().accounts?.programTreasury))).toBe(true);
    expect(context.publisher !== 'external' && context.publisher?.publicKey.equals(f.publisher.publicKey)).toBe(true);
  });

  it('credits, builds and publishes a root; a user-signed SDK claim pays; chain-watch records it', async () => {
    const alice = wallet(f, `workers alice ${name}`);
    const bob = wallet(f, `workers bob ${name}`, 0n);
    await sealWith(db, epochAt(0), { '1001': 5n * TOKEN, '1002': 3n * TOKEN });
    await bindWallet(db, { userId: 1001n, wallet: alice.publicKey.toBytes(), via: 'admin', actor: 'test' });
    await bindWallet(db, { userId: 1002n, wallet: bob.publicKey.toBytes(), via: 'admin', actor: 'test' });
    const treasuryBefore = await tokenBalance(f, context.treasury);
    startWorkers(db, queue, {
      epochSeconds: 3600,
      graceSeconds: 0,
      deadAfterSeconds: 300,
      policy: { id: 'weighted-v1', params: { epochBudget: 10n ** 12n } },
      retentionDays: 30,
      scheduleMs: 100,
      chain: { chain: context, rootIntervalMs: 300, watchIntervalMs: 300 },
    });

    const root = await waitForValue('a published root', async () => {
      const rows = await db.query<RootRow>(sql`select id::int as id, seq::text as seq, status, wallets,
        total::text as total from roots where status = 'published' order by id`);
      return rows[0];
    });
    expect(root).toMatchObject({ seq: '1', wallets: 2, total: (8n * TOKEN).toString() });
    const config = decodeGlobalRootConfig(must(await f.connection.getAccountInfo(f.resolved.globalRootConfig)).data);
    expect(config.latestRootSeq).toBe(1n);

    // Alice claims with the SDK's transaction builder and the stored tree's proof, signing herself.
    const tree = await loadRootArtifact(db.query, root.id);
    const { entry, proof } = must(tree.proofForWallet(alice.publicKey.toBytes()));
    expect(Buffer.from(must(config.roots[1]).root).equals(Buffer.from(tree.root))).toBe(true);
    const { blockhash, lastValidBlockHeight } = await f.connection.getLatestBlockhash();
    const built = buildClaimTransaction(
      {
        claimer: alice.publicKey,
        rootSeq: tree.rootSeq,
        cumulativeTotal: entry.cumulativeTotal,
        proof,
        recentBlockhash: blockhash,
        lastValidBlockHeight,
      },
      { programId: context.programId, mint: context.mint, treasury: context.treasury },
    );
    if (built.version !== 'legacy') throw new Error('a shallow claim fits a legacy transaction');
    built.transaction.sign(alice);
    const { signature } = await sendAndConfirm(context.client, built.transaction, {
      lastValidBlockHeight,
      pollEveryMs: 20,
    });
    expect(await tokenBalance(f, ata(f.config.mint, alice.publicKey))).toBe(5n * TOKEN - transferFee(5n * TOKEN));
    expect(await tokenBalance(f, context.treasury)).toBe(treasuryBefore - 5n * TOKEN);

    // chain-watch (on its cadence) records the claim event.
    const recorded = await waitForValue('the recorded claim', async () => {
      const [row] = await db.query<{ signature: string; amount: string; total: string; seq: string }>(sql`
        select signature, amount::text as amount, cumulative_total::text as total, root_seq::text as seq
        from chain_claims where claimer = ${alice.publicKey.toBytes()}`);
      return row;
    });
    expect(recorded).toEqual({
      signature,
      amount: (5n * TOKEN).toString(),
      total: (5n * TOKEN).toString(),
      seq: '1',
    });

    // Treasury coverage: only bob's total is outstanding now; the treasury covers it.
    const coverage = await checkTreasuryCoverage(db, {
      client: context.client,
      treasury: context.treasury,
      settlement: 'merkle',
    });
    expect(coverage).toMatchObject({
      ok: true,
      outstanding: 3n * TOKEN,
      wallets: 1,
      balance: treasuryBefore - 5n * TOKEN,
      treasuryExists: true,
    });
  });
});
