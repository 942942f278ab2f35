// claims.direct on a local chain without the program (direct settlement), on both database backends: the treasury
// pays the wallet's total once, net of the fee; claims.status settles by claim id and by signature; a second claim
// has nothing to claim; merkle procedures are refused in this mode.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { resolveChainContext } from '@attention-oracle/indexer';
import { createRpcClient } from '@attention-oracle/sdk';
import { Keypair } from '@solana/web3.js';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { must } from '../../../indexer/test/chain/helpers.js';
import { useProgramChain } from '../../../indexer/test/program/program-fixture.js';
import { backends } from '../../../indexer/test/roots/fixtures.js';
import { creditTotal, feeOf, tokenBalance } from '../../../indexer/test/settlement/fixtures.js';
import { createLogger } from '../../src/logger.js';
import type { AppRouter } from '../../src/routers/app.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { refusal, testEnv } from '../helpers.js';
import { resetClaimTables, TOKEN } from './fixtures.js';

describe.each(backends)('direct claims (%s)', (_name, open) => {
  const chain = useProgramChain({ program: false });
  let db: DatabaseHandle;
  let drop = async () => {};
  let server: RunningServer;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    const accounts = must(chain().accounts);
    const env = testEnv({
      SOLANA_RPC_URL: chain().url,
      MINT: accounts.mint.toBase58(),
      TREASURY_ACCOUNT: accounts.treasuryTokenAccount.toBase58(),
      TREASURY_AUTHORITY_KEYPAIR_PATH: accounts.keyPaths.treasuryAuthority,
      SPONSOR_KEYPAIR_PATH: accounts.keyPaths.sponsorFeePayer,
    });
    const rpc = createRpcClient({ urls: [chain().url], retries: 1 });
    const context = await resolveChainContext(env.indexer, { client: rpc, treasuryAuthority: true });
    expect(context.settlement).toBe('direct');
    server = await startServer({ db, env, chain: context, port: 0, logger: createLogger('silent') });
    client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await drop();
  });
  beforeEach(() => resetClaimTables(db));

  it('pays the wallet its total net of the fee, once; status settles by claim id and by signature', async () => {
    const owner = Keypair.generate().publicKey;
    const total = 12n * TOKEN + 345n;
    await creditTotal(db, owner, total);
    const paid = await client.claims.direct.mutate({ wallet: owner.toBase58() });
    expect(paid).toMatchObject({
      wallet: owner.toBase58(),
      status: 'confirmed',
      amount: { gross: total.toString(), net: (total - feeOf(total)).toString() },
      error: null,
    });
    const connection = server.deps.chain?.client.connection();
    expect(await tokenBalance(must(connection), must(chain().accounts).mint, owner)).toBe(total - feeOf(total));

    const byId = await client.claims.status.query({ claimId: paid.claimId });
    expect(byId).toMatchObject({
      kind: 'direct',
      claimId: paid.claimId,
      signature: paid.signature,
      slot: paid.slot,
      amount: { gross: total.toString(), net: (total - feeOf(total)).toString() },
      error: null,
    });
    expect(['confirmed', 'finalized']).toContain(byId.status);
    const bySignature = await client.claims.status.query({ signature: must(paid.signature) });
    expect(bySignature).toEqual(byId);
    const rest = await fetch(`${server.url}/v1/claims/status?claimId=${paid.claimId}`);
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual(byId);

    const audit = await db.query<{ actor: string; details: { claimId: number; status: string } }>(sql`
      select actor, details from audit_log where action = 'claims.direct' and subject = ${owner.toBase58()}`);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ claimId: paid.claimId, status: 'confirmed' });
    expect(audit[0]?.actor).toMatch(/^ip:/);

    const again = await refusal(client.claims.direct.mutate({ wallet: owner.toBase58() }));
    expect(again.code).toBe('PRECONDITION_FAILED');
    expect(again.message).toBe(
      `nothing to claim: wallet ${owner.toBase58()} is owed ${total} in total and ${total} is paid or being paid`,
    );
  });

  it('refuses the program paths (prepare, sponsor) in direct settlement, and unknown claim ids', async () => {
    const owner = Keypair.generate().publicKey.toBase58();
    for (const call of [
      client.claims.prepare.mutate({ wallet: owner }),
      client.claims.sponsor.mutate({ wallet: owner }),
    ]) {
      const refused = await refusal(call);
      expect(refused.code).toBe('PRECONDITION_FAILED');
      expect(refused.message).toMatch(
        /^settlement is direct \(.*\): there is no program to claim through; use claims.direct$/,
      );
    }
    const missing = await refusal(client.claims.status.query({ claimId: 987_654 }));
    expect(missing).toEqual({ code: 'NOT_FOUND', message: 'no direct claim 987654' });
    const both = await fetch(`${server.url}/v1/claims/status?claimId=1&signature=${'1'.repeat(64)}`);
    expect(both.status).toBe(400);
    expect(await both.text()).toContain('give exactly one of signature and claimId');
  });

  it('lists every claims procedure in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths['/v1/claims/prepare']?.post).toBeDefined();
    expect(doc.paths['/v1/claims/sponsor']?.post).toBeDefined();
    expect(doc.paths['/v1/claims/direct']?.post).toBeDefined();
    expect(doc.paths['/v1/claims/status']?.get).toBeDefined();
  });
});
