// Deep proofs on the local program: a tree of 2^19 + 1 wallets (depth 20) claims through prepare and sponsor, and a
// proof too deep for a legacy transaction goes v0 through the lookup table the sponsor creates once and the server
// finds again from the audit log.
import { randomBytes } from 'node:crypto';
import { globalV4LeafHash, processProof } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import {
  findAssociatedTokenAddress,
  getPublishGlobalRootInstruction,
  MAX_TRANSACTION_SIZE,
  sendAndConfirm,
} from '@attention-oracle/sdk';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../../indexer/test/chain/helpers.js';
import {
  latestRootSeq,
  type ProgramFixture,
  programFixture,
  send,
  tokenBalance,
  transferFee,
  useProgramChain,
  wallet,
} from '../../../indexer/test/program/program-fixture.js';
import { backends } from '../../../indexer/test/roots/fixtures.js';
import { buildClaim } from '../../src/claims/build.js';
import { claimLookupTable, LOOKUP_TABLE_ACTION } from '../../src/claims/lookup-table.js';
import type { ClaimTarget } from '../../src/claims/target.js';
import type { AppRouter } from '../../src/routers/app.js';
import type { RunningServer } from '../../src/server.js';
import type { CachedRoot } from '../../src/trees.js';
import { decodePrepared, publishServedRoot, resetClaimTables, startClaimsServer, TOKEN } from './fixtures.js';

const [pglite] = backends;

describe.each([must(pglite)])('a tree of depth 20 (%s)', (name, open) => {
  const chain = useProgramChain();
  let db: DatabaseHandle;
  let drop = async () => {};
  let f: ProgramFixture;
  let server: RunningServer;

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    await resetClaimTables(db);
    f = programFixture(chain());
    server = await startClaimsServer(db, f, {
      SPONSOR_KEYPAIR_PATH: must(chain().accounts).keyPaths.sponsorFeePayer,
      SPONSOR_MIN_CLAIMABLE: '1',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await drop();
  });

  it('2^19 + 1 wallets: prepare -> sign -> send pays the wallet; a sponsored claim from the same tree lands too', async () => {
    const self = wallet(f, `deep self ${name}`);
    const sponsored = wallet(f, `deep sponsored ${name}`, 0n);
    const entries = [
      { wallet: self.publicKey.toBytes(), cumulativeTotal: 4n * TOKEN },
      { wallet: sponsored.publicKey.toBytes(), cumulativeTotal: 6n * TOKEN },
    ];
    for (let i = 0; entries.length < 2 ** 19 + 1; i++) {
      const filler = new Uint8Array(32);
      new DataView(filler.buffer).setUint32(0, i, true);
      filler[31] = 9;
      entries.push({ wallet: filler, cumulativeTotal: BigInt(i + 1) });
    }
    await publishServedRoot(db, f, entries);
    await server.deps.trees.refresh();
    const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });

    const prepared = await client.claims.prepare.mutate({ wallet: self.publicKey.toBase58() });
    const proof = await client.proofs.get.query({ wallet: self.publicKey.toBase58(), seq: prepared.rootSeq });
    expect(proof.proof.length).toBeGreaterThanOrEqual(20);
    expect(prepared.size).toBeLessThanOrEqual(MAX_TRANSACTION_SIZE);
    const tx = decodePrepared(prepared);
    if ('version' in tx) tx.sign([self]);
    else tx.sign(self);
    await sendAndConfirm(f.client, tx, { lastValidBlockHeight: prepared.lastValidBlockHeight, pollEveryMs: 20 });
    const ata = (owner: typeof self) => findAssociatedTokenAddress({ owner: owner.publicKey, mint: f.config.mint });
    expect(await tokenBalance(f, ata(self))).toBe(4n * TOKEN - transferFee(4n * TOKEN));

    const sent = await client.claims.sponsor.mutate({ wallet: sponsored.publicKey.toBase58() });
    expect(sent.status).toBe('confirmed');
    expect(await tokenBalance(f, ata(sponsored))).toBe(6n * TOKEN - transferFee(6n * TOKEN));
  }, 120_000);
});

describe.each(backends)('claims too deep for a legacy transaction (%s)', (name, open) => {
  const chain = useProgramChain();
  let db: DatabaseHandle;
  let drop = async () => {};
  let f: ProgramFixture;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    await resetClaimTables(db);
    f = programFixture(chain());
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) await s.close();
    await drop();
  });
  const start = async (extra: Record<string, string> = {}) => {
    const started = await startClaimsServer(db, f, extra);
    servers.push(started);
    return started;
  };

  it('go v0 with the lookup table the sponsor creates once; another server finds it in the audit log', async () => {
    const server = await start({ SPONSOR_KEYPAIR_PATH: must(chain().accounts).keyPaths.sponsorFeePayer });
    const deps = server.deps;
    const chainContext = must(deps.chain);
    const claimer = wallet(f, `deep v0 ${name}`);
    const rootSeq = (await latestRootSeq(f)) + 1n;
    const total = 3n * TOKEN;
    const mint = f.config.mint.toBytes();
    // Random siblings above the leaf lead to the root the program is given (26 deep: no legacy transaction fits).
    const proof = Array.from({ length: 26 }, () => new Uint8Array(randomBytes(32)));
    const root = processProof(globalV4LeafHash(mint, rootSeq, claimer.publicKey.toBytes(), total), proof);
    await send(
      f,
      [
        getPublishGlobalRootInstruction(
          { payer: f.publisher.publicKey, rootSeq, root, datasetHash: new Uint8Array(32) },
          f.config,
        ),
      ],
      [f.publisher],
    );
    const program = { programId: chainContext.programId, mint: chainContext.mint, treasury: chainContext.treasury };
    const target: ClaimTarget = {
      chain: chainContext,
      program,
      wallet: claimer.publicKey,
      address: claimer.publicKey.toBase58(),
      root: { record: { seq: rootSeq } } as CachedRoot,
      leaf: { index: 0, entry: { wallet: claimer.publicKey.toBytes(), cumulativeTotal: total }, proof },
      total,
      claimed: 0n,
      claimable: total,
      slot: 0n,
    };
    const recent = await f.connection.getLatestBlockhash('confirmed');
    const built = await buildClaim(deps, target, claimer.publicKey, recent);
    if (!built.ok) throw new Error(built.failure.message);
    expect(built.value.version).toBe(0);
    expect(built.value.size).toBeLessThanOrEqual(MAX_TRANSACTION_SIZE);
    const table = must(built.value.lookupTable);
    const tx = built.value.transaction;
    if ('version' in tx) tx.sign([claimer]);
    await sendAndConfirm(f.client, tx, { lastValidBlockHeight: recent.lastValidBlockHeight, pollEveryMs: 20 });
    const ata = findAssociatedTokenAddress({ owner: claimer.publicKey, mint: f.config.mint });
    expect(await tokenBalance(f, ata)).toBe(total - transferFee(total));

    const recorded = await db.query<{ subject: string; actor: string }>(sql`select subject, actor from audit_log
      where action = ${LOOKUP_TABLE_ACTION}`);
    expect(recorded).toEqual([{ subject: table.toBase58(), actor: `sponsor:${f.sponsor.publicKey.toBase58()}` }]);

    // A server without a sponsor key (fresh state) uses the recorded table; none is created again.
    const other = await start();
    const found = await claimLookupTable(other.deps, chainContext, program);
    expect(found?.key.toBase58()).toBe(table.toBase58());
    const [count] = await db.query<{ n: number }>(sql`select count(*)::int as n from audit_log
      where action = ${LOOKUP_TABLE_ACTION}`);
    expect(count?.n).toBe(1);
  }, 60_000);

  it('without a sponsor key or a recorded table, a proof too deep for legacy is refused clearly', async () => {
    await db.query(sql`truncate audit_log`);
    const server = await start();
    const chainContext = must(server.deps.chain);
    const claimer = wallet(f, `deep refused ${name}`);
    const proof = Array.from({ length: 26 }, () => new Uint8Array(32));
    const target: ClaimTarget = {
      chain: chainContext,
      program: { programId: chainContext.programId, mint: chainContext.mint, treasury: chainContext.treasury },
      wallet: claimer.publicKey,
      address: claimer.publicKey.toBase58(),
      root: { record: { seq: 1n } } as CachedRoot,
      leaf: { index: 0, entry: { wallet: claimer.publicKey.toBytes(), cumulativeTotal: TOKEN }, proof },
      total: TOKEN,
      claimed: 0n,
      claimable: TOKEN,
      slot: 0n,
    };
    const built = await buildClaim(server.deps, target, claimer.publicKey, await f.connection.getLatestBlockhash());
    expect(built).toEqual({
      ok: false,
      failure: {
        code: 'PRECONDITION_FAILED',
        message:
          'the proof (26 siblings) is too deep for a legacy transaction and there is no lookup table yet; ' +
          'a sponsor key (SPONSOR_KEYPAIR_PATH) lets the server create one',
      },
    });
  });
});
