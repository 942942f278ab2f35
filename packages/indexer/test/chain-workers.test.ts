// The workers with a chain: on the local chain without a program, settlement is direct; sealed epochs are credited,
// roots are built on their own cadence and recorded as not published (saying why), and direct claims pay the totals.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTestPglite } from '@attention-oracle/db/testing';
import { Keypair } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainContext, resolveChainContext } from '../src/chain-context.js';
import { loadEnv } from '../src/env.js';
import { createJobQueue, type JobQueue } from '../src/jobs/index.js';
import { bindWallet } from '../src/ledger/index.js';
import { createDirectSettlement } from '../src/settlement/index.js';
import { startWorkers } from '../src/worker.js';
import { ata, must, useLocalChain } from './chain/helpers.js';
import { epochAt, sealWith } from './ledger/fixtures.js';
import { waitForValue } from './wait-for.js';

interface RootRow {
  id: number;
  seq: string;
  status: string;
  reason: string | null;
  wallets: number;
  total: string;
}
const rootRows = (db: DatabaseHandle) =>
  db.query<RootRow>(sql`select id::int as id, seq::text as seq, status, reason, wallets, total::text as total
    from roots order by id`);

describe('chain workers on the local chain without a program', () => {
  const { chain } = useLocalChain({ bootstrap: { program: false } });
  let db: DatabaseHandle;
  let queue: JobQueue;
  let context: ChainContext;
  const alice = Keypair.generate().publicKey;
  const bob = Keypair.generate().publicKey;

  beforeAll(async () => {
    db = await createTestPglite();
    const { url } = chain();
    const accounts = must(chain().accounts, 'bootstrapped accounts');
    const env = loadEnv({
      SOLANA_RPC_URL: url,
      MINT: accounts.mint.toBase58(),
      TREASURY_AUTHORITY_KEYPAIR_PATH: accounts.keyPaths.treasuryAuthority,
      DATA_DIR: '/nonexistent',
    });
    context = await resolveChainContext(env, { publisher: true });
    queue = createJobQueue({ db, pollMs: 50 });
  });
  afterAll(async () => {
    await queue?.close();
    await db?.close();
  });

  it('resolves direct settlement from the chain and pays from the treasury authority account', () => {
    expect(context.settlement).toBe('direct');
    expect(context.settlementReason).toMatch(/^no Attention Oracle program is deployed at \w+ on this chain$/);
    expect(context.publisher).toBeUndefined();
    expect(context.treasury.equals(must(chain().accounts).treasuryTokenAccount)).toBe(true);
  });

  it('credits, builds unpublished roots on cadence, rebuilds when the ledger changes, and pays direct claims', async () => {
    await sealWith(db, epochAt(0), { '1001': 5_000n, '1002': 3_000n });
    await bindWallet(db, { userId: 1001n, wallet: alice.toBytes(), via: 'admin', actor: 'test' });
    startWorkers(db, queue, {
      epochSeconds: 3600,
      graceSeconds: 0,
      deadAfterSeconds: 300,
      policy: { id: 'weighted-v1', params: { epochBudget: 10_000n } },
      retentionDays: 30,
      scheduleMs: 100,
      chain: { chain: context, rootIntervalMs: 300, watchIntervalMs: 300 },
    });

    const first = await waitForValue('a root', async () =>
      (await rootRows(db)).find((r) => r.status === 'unpublished'),
    );
    expect(first).toMatchObject({ seq: '1', wallets: 1, total: '5000' });
    expect(first.reason).toMatch(
      /^settlement is direct \(no Attention Oracle program is deployed at .+\): roots are built and proofs served, not published$/,
    );

    // Bob binds: his waiting credit moves to his wallet, the ledger mark changes, the next cadence rebuilds.
    await bindWallet(db, { userId: 1002n, wallet: bob.toBytes(), via: 'admin', actor: 'test' });
    const second = await waitForValue('a rebuilt root', async () =>
      (await rootRows(db)).find((r) => r.id > first.id && r.status === 'unpublished'),
    );
    expect(second).toMatchObject({ seq: '1', wallets: 2, total: '8000' });
    expect((await rootRows(db)).find((r) => r.id === first.id)?.status).toBe('superseded');

    const { url } = chain();
    const accounts = must(chain().accounts, 'bootstrapped accounts');
    const settlement = createDirectSettlement({
      db,
      client: context.client,
      mint: context.mint,
      treasuryAccount: context.treasury,
      treasuryAuthority: must(context.treasuryAuthority, 'the treasury authority'),
      caps: { perClaim: 10n ** 12n, perWalletPerDay: 10n ** 12n, perDay: 10n ** 13n },
    });
    try {
      const paid = await settlement.claim(bob);
      expect(paid).toMatchObject({ status: 'settled', amount: 3_000n, fee: 15n, net: 2_985n });
      expect(await settlement.claim(bob)).toMatchObject({ status: 'nothing-to-claim', total: 3_000n, paid: 3_000n });
    } finally {
      settlement.close();
    }
    const balance = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'getTokenAccountBalance',
        params: [ata(accounts.mint, bob).toBase58()],
      }),
    }).then((r) => r.json() as Promise<{ result: { value: { amount: string } } }>);
    expect(balance.result.value.amount).toBe('2985');
  });
});
