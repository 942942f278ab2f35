// Against the local program: a root built and published by the indexer is served with the mint's 50 bps transfer fee
// (gross and net), the proof verifies with core, and a wallet's claimed amount comes from the chain.
import { base58Decode, globalV4LeafHash, verifyProof } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import { bindWallet, buildRoot, creditSealedEpochs, publishRoot, resolveChainContext } from '@attention-oracle/indexer';
import { getClaimInstruction } from '@attention-oracle/sdk';
import { loadRoleKey } from '@attention-oracle/sdk/node';
import type { Keypair } from '@solana/web3.js';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../../indexer/test/chain/helpers.js';
import { epochAt, sealWith } from '../../../indexer/test/ledger/fixtures.js';
import {
  type ProgramFixture,
  programFixture,
  send,
  useProgramChain,
  wallet,
} from '../../../indexer/test/program/program-fixture.js';
import { backends } from '../../../indexer/test/roots/fixtures.js';
import { createLogger } from '../../src/logger.js';
import type { ProofAnswer } from '../../src/proofs.js';
import type { AppRouter } from '../../src/routers/app.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { testEnv } from '../helpers.js';

const TOKEN = 1_000_000_000n;
const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));
/** The local mint's fee: 50 bps, rounded up (the maximum fee is far above these amounts). */
const fee = (amount: bigint) => (amount * 50n + 9_999n) / 10_000n;

describe.each(backends)('the server on the local program (%s)', (name, open) => {
  const chain = useProgramChain();
  let db: DatabaseHandle;
  let drop = async () => {};
  let server: RunningServer;

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    f = programFixture(chain());
    await sealWith(db, epochAt(0), { '1001': 5n * TOKEN });
    alice = wallet(f, `server alice ${name}`);
    await bindWallet(db, { userId: 1001n, wallet: alice.publicKey.toBytes(), via: 'admin', actor: 'test' });
    await creditSealedEpochs(db, { actor: 'test' });
    const built = await buildRoot(db, {
      client: f.client,
      mint: f.config.mint,
      programId: f.config.programId,
      leafVersion: 'v4',
    });
    if (!built.built) throw new Error(`nothing built: ${built.skipped}`);
    const signer = loadRoleKey('publisher', { path: must(chain().accounts).keyPaths.publisher });
    await publishRoot(db, {
      client: f.client,
      rootId: built.rootId,
      programId: f.config.programId,
      signer,
      pollEveryMs: 20,
    });
    const env = testEnv({
      SOLANA_RPC_URL: chain().url,
      MINT: f.config.mint.toBase58(),
      ATTENTION_ORACLE_PROGRAM_ID: f.config.programId.toBase58(),
      SETTLEMENT: 'merkle',
    });
    const chainContext = await resolveChainContext(env.indexer, { client: f.client });
    server = await startServer({ db, env, chain: chainContext, port: 0, logger: createLogger('silent') });
    aliceAddress = alice.publicKey.toBase58();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await drop();
  });
  let aliceAddress = '';
  let f: ProgramFixture;
  let alice: Keypair;

  it('serves the published root with amounts gross and net of the transfer fee, verifiable with core', async () => {
    const res = await fetch(`${server.url}/v1/proofs/1/${aliceAddress}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const answer = JSON.parse(text) as ProofAnswer;
    // The plain route writes its JSON by hand: byte for byte what proofs.get answers.
    const viaProcedure = await (await fetch(`${server.url}/v1/proofs?wallet=${aliceAddress}&seq=1`)).json();
    expect(text).toBe(JSON.stringify(viaProcedure));
    const gross = 5n * TOKEN;
    expect(answer.amountGross).toBe(gross.toString());
    expect(answer.amountNet).toBe((gross - fee(gross)).toString());
    expect(answer.validAsOfSlot).toMatch(/^[1-9][0-9]*$/);
    const mint = must(server.deps.mint);
    const leaf = globalV4LeafHash(mint, 1n, base58Decode(answer.wallet), gross);
    expect(verifyProof(leaf, answer.proof.map(bytes), bytes(answer.root))).toBe(true);
  });

  it('eligibility.wallet reads claimed from the chain (nothing yet) and reports all of the root as claimable', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] });
    const answer = await client.eligibility.wallet.query({ wallet: aliceAddress });
    const gross = 5n * TOKEN;
    expect(answer).toMatchObject({
      rootSeq: '1',
      claimed: { gross: '0', net: '0' },
      claimableNow: { gross: gross.toString(), net: (gross - fee(gross)).toString() },
      pending: { gross: '0' },
    });
    expect(answer.validAsOfSlot).toMatch(/^[1-9][0-9]*$/);
  });

  it('a proof from the server claims through the program, after which claimed is the paid total', async () => {
    const answer = (await (await fetch(`${server.url}/v1/proofs/1/${aliceAddress}`)).json()) as ProofAnswer;
    const instruction = getClaimInstruction(
      {
        claimer: alice.publicKey,
        rootSeq: BigInt(answer.rootSeq),
        proof: answer.proof.map(bytes),
        cumulativeTotal: BigInt(answer.amountGross),
      },
      f.config,
    );
    await send(f, [instruction], [alice]);
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] });
    const after = await client.eligibility.wallet.query({ wallet: aliceAddress });
    expect(after.claimed?.gross).toBe((5n * TOKEN).toString());
    expect(after.claimableNow).toEqual({ gross: '0', net: '0' });
  });
});
