// Claims through the local program, on both database backends: a user-signed claim (prepare, sign, send), sponsored
// claims and their guards (minimum, per-day limit, one in flight per wallet, 429), a rotated root, wrong-mode calls.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import {
  findAssociatedTokenAddress,
  getClaimInstruction,
  sendAndConfirm,
  TransactionFailedError,
} from '@attention-oracle/sdk';
import { type Keypair, type PublicKey, Transaction } from '@solana/web3.js';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  latestRootSeq,
  type ProgramFixture,
  programFixture,
  tokenBalance,
  transferFee,
  useProgramChain,
  wallet,
} from '../../../indexer/test/program/program-fixture.js';
import { backends } from '../../../indexer/test/roots/fixtures.js';
import type { AppRouter } from '../../src/routers/app.js';
import type { RunningServer } from '../../src/server.js';
import { refusal } from '../helpers.js';
import { decodePrepared, publishServedRoot, resetClaimTables, startClaimsServer, TOKEN } from './fixtures.js';

const clientOf = (server: RunningServer) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc` })] });

describe.each(backends)('claims through the program (%s)', (name, open) => {
  const chain = useProgramChain();
  let db: DatabaseHandle;
  let drop = async () => {};
  let f: ProgramFixture;
  /** Sponsor key from the chain, at most one sponsored claim per wallet per day, a 1-token minimum, loose rates. */
  let server: RunningServer;
  /** No sponsor key. */
  let bare: RunningServer;
  /** Every wallet's cumulative total: each root published carries them all, as real roots do. */
  const totals = new Map<string, { key: PublicKey; total: bigint }>();
  const servers = () => [server, bare];

  /** Raises the totals of `wallets`, publishes a root with every wallet and reloads the servers' caches. */
  async function publish(raise: ReadonlyArray<[Keypair, bigint]> = []) {
    for (const [key, total] of raise) totals.set(key.publicKey.toBase58(), { key: key.publicKey, total });
    const tree = await publishServedRoot(
      db,
      f,
      [...totals.values()].map(({ key, total }) => ({ wallet: key.toBytes(), cumulativeTotal: total })),
    );
    for (const s of servers()) await s.deps.trees.refresh();
    return tree;
  }
  const ata = (owner: PublicKey) => findAssociatedTokenAddress({ owner, mint: f.config.mint });
  /** The wallets of the tests, in the first root (those with 0 SOL can only be sponsored). */
  const named: Record<string, Keypair> = {};
  /** The seq of the first root. */
  let firstSeq = 0n;

  beforeAll(async () => {
    ({ handle: db, drop } = await open());
    await resetClaimTables(db);
    f = programFixture(chain());
    const sponsorPath = chain().accounts?.keyPaths.sponsorFeePayer ?? '';
    server = await startClaimsServer(db, f, {
      SPONSOR_KEYPAIR_PATH: sponsorPath,
      SPONSOR_MAX_PER_WALLET_PER_DAY: '1',
      SPONSOR_MIN_CLAIMABLE: TOKEN.toString(),
      SPONSOR_RATE_PER_IP_PER_MINUTE: '1000',
      SPONSOR_RATE_PER_WALLET_PER_MINUTE: '1000',
    });
    bare = await startClaimsServer(db, f);
    const plan: ReadonlyArray<[string, bigint, bigint]> = [
      ['alice', 5n * TOKEN, 1n],
      ['bob', 3n * TOKEN, 0n],
      ['carol', TOKEN / 2n, 0n],
      ['dave', 2n * TOKEN, 0n],
      ['erin', 7n * TOKEN, 0n],
      ['frank', TOKEN, 1n],
      ['gina', 2n * TOKEN, 1n],
    ];
    const raise: [Keypair, bigint][] = [];
    for (const [label, total, sol] of plan) {
      named[label] = wallet(f, `claims ${label} ${name}`, sol);
      raise.push([named[label] as Keypair, total]);
    }
    // One root for every test keeps the seqs low (the tests publish few more).
    await publish(raise);
    firstSeq = await latestRootSeq(f);
  }, 60_000);
  const get = (label: string) => {
    const key = named[label];
    if (key === undefined) throw new Error(`no wallet ${label}`);
    return key;
  };
  afterAll(async () => {
    for (const s of servers()) await s?.close();
    await drop();
  });

  it('prepare -> the wallet signs and sends -> it receives the gross minus the fee; status confirmed; then nothing to claim', async () => {
    const alice = get('alice');
    const client = clientOf(server);
    const address = alice.publicKey.toBase58();
    const seq = firstSeq.toString();

    const prepared = await client.claims.prepare.mutate({ wallet: address });
    const gross = 5n * TOKEN;
    expect(prepared).toMatchObject({
      wallet: address,
      rootSeq: seq,
      feePayer: address,
      version: 'legacy',
      lookupTable: null,
      total: { gross: gross.toString(), net: (gross - transferFee(gross)).toString() },
      claimed: { gross: '0', net: '0' },
      claimable: { gross: gross.toString(), net: (gross - transferFee(gross)).toString() },
    });
    expect(prepared.size).toBeLessThanOrEqual(1232);
    expect(prepared.validAsOfSlot).toMatch(/^[1-9][0-9]*$/);

    const tx = decodePrepared(prepared);
    if ('version' in tx) tx.sign([alice]);
    else tx.sign(alice);
    const { signature } = await sendAndConfirm(f.client, tx, {
      lastValidBlockHeight: prepared.lastValidBlockHeight,
      pollEveryMs: 20,
    });
    expect(await tokenBalance(f, ata(alice.publicKey))).toBe(gross - transferFee(gross));

    const status = await client.claims.status.query({ signature });
    expect(status).toMatchObject({
      kind: 'merkle',
      signature,
      rootSeq: seq,
      amount: { gross: gross.toString(), net: (gross - transferFee(gross)).toString() },
      error: null,
    });
    expect(['confirmed', 'finalized']).toContain(status.status);

    const again = await refusal(client.claims.prepare.mutate({ wallet: address }));
    expect(again.code).toBe('PRECONDITION_FAILED');
    expect(again.message).toMatch(
      /^nothing to claim: root \d+ gives wallet \S+ 5000000000 in total and 5000000000 is already claimed$/,
    );
  });

  it('sponsor: the sponsor pays fees and rent, the wallet (no SOL, not a signer) nets the delta, audit and status agree', async () => {
    const bob = get('bob');
    const client = clientOf(server);
    const sponsor = f.sponsor.publicKey;
    const sponsorBefore = await f.connection.getBalance(sponsor);

    const sent = await client.claims.sponsor.mutate({ wallet: bob.publicKey.toBase58() });
    const gross = 3n * TOKEN;
    expect(sent).toMatchObject({
      status: 'confirmed',
      feePayer: sponsor.toBase58(),
      amount: { gross: gross.toString(), net: (gross - transferFee(gross)).toString() },
      error: null,
    });
    expect(await tokenBalance(f, ata(bob.publicKey))).toBe(gross - transferFee(gross));
    expect(await f.connection.getBalance(bob.publicKey)).toBe(0);
    expect(await f.connection.getBalance(sponsor)).toBeLessThan(sponsorBefore);

    const rows = await db.query<{ actor: string; details: { status: string; signature: string; amount: string } }>(sql`
      select actor, details from audit_log where action = 'claims.sponsor' and subject = ${bob.publicKey.toBase58()}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.details).toMatchObject({
      status: 'confirmed',
      signature: sent.signature,
      amount: gross.toString(),
    });
    expect(rows[0]?.actor).toMatch(/^ip:/);
    const status = await client.claims.status.query({ signature: sent.signature });
    expect(['confirmed', 'finalized']).toContain(status.status);
    expect(status.amount?.gross).toBe(gross.toString());
  });

  it('sponsor refuses a claim below SPONSOR_MIN_CLAIMABLE, and a second sponsored claim of a wallet within 24 hours', async () => {
    const carol = get('carol');
    const dave = get('dave');
    const client = clientOf(server);
    const small = await refusal(client.claims.sponsor.mutate({ wallet: carol.publicKey.toBase58() }));
    expect(small.code).toBe('PRECONDITION_FAILED');
    expect(small.message).toContain(`the claimable ${TOKEN / 2n} is below the ${TOKEN} a sponsored claim must pay`);
    expect(await tokenBalance(f, ata(carol.publicKey))).toBe(0n);

    expect((await client.claims.sponsor.mutate({ wallet: dave.publicKey.toBase58() })).status).toBe('confirmed');
    await publish([[dave, 4n * TOKEN]]);
    const limited = await refusal(client.claims.sponsor.mutate({ wallet: dave.publicKey.toBase58() }));
    expect(limited.code).toBe('PRECONDITION_FAILED');
    expect(limited.message).toContain('had 1 sponsored claims in the last 24 hours (at most 1)');
    // The wallet can still claim the rest itself.
    const prepared = await client.claims.prepare.mutate({ wallet: dave.publicKey.toBase58() });
    expect(prepared.claimable.gross).toBe((2n * TOKEN).toString());
  });

  it('20 concurrent sponsor calls for one wallet send one transaction', async () => {
    const erin = get('erin');
    const client = clientOf(server);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.claims.sponsor.mutate({ wallet: erin.publicKey.toBase58() })),
    );
    expect(new Set(answers.map((a) => a.signature)).size).toBe(1);
    expect(answers.every((a) => a.status === 'confirmed')).toBe(true);
    const [count] = await db.query<{ n: number }>(sql`select count(*)::int as n from audit_log
      where action = 'claims.sponsor' and subject = ${erin.publicKey.toBase58()}`);
    expect(count?.n).toBe(1);
    const gross = 7n * TOKEN;
    expect(await tokenBalance(f, ata(erin.publicKey))).toBe(gross - transferFee(gross));
  });

  it('answers 429 with Retry-After once a wallet used up its claim requests', async () => {
    const limited = await startClaimsServer(db, f, {
      SPONSOR_KEYPAIR_PATH: chain().accounts?.keyPaths.sponsorFeePayer ?? '',
      SPONSOR_RATE_PER_WALLET_PER_MINUTE: '2',
    });
    try {
      const nobody = wallet(f, `claims nobody ${name}`, 0n).publicKey.toBase58();
      const post = () =>
        fetch(`${limited.url}/v1/claims/sponsor`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ wallet: nobody }),
        });
      // Not in any root: refused, but each request still takes a token.
      expect((await post()).status).toBe(404);
      expect((await post()).status).toBe(404);
      const third = await post();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await third.json()) as { message: string }).message).toMatch(
        /^too many claim requests; retry in \d+ s$/,
      );
      const metrics = await (await fetch(`${limited.url}/metrics`)).text();
      expect(metrics).toMatch(/^ao_claims_submitted_total\{kind="merkle",status="NOT_FOUND"\} 2$/m);
      expect(metrics).toMatch(/^ao_claims_submitted_total\{kind="merkle",status="TOO_MANY_REQUESTS"\} 1$/m);
    } finally {
      await limited.close();
    }
  });

  it("refuses a root rotated out of the program's four, naming the claimable range", async () => {
    const frank = get('frank');
    const first = firstSeq;
    while ((await latestRootSeq(f)) < first + 4n) await publish();
    const client = clientOf(server);
    const old = await refusal(
      client.claims.prepare.mutate({ wallet: frank.publicKey.toBase58(), seq: first.toString() }),
    );
    expect(old.code).toBe('PRECONDITION_FAILED');
    expect(old.message).toContain(
      `root ${first} can no longer be claimed against: the program keeps only the 4 newest roots`,
    );
    const ahead = await refusal(client.claims.prepare.mutate({ wallet: frank.publicKey.toBase58(), seq: '999999' }));
    expect(ahead.code).toBe('NOT_FOUND');
    expect(ahead.message).toBe(`root 999999 is not published (newest: ${first + 4n})`);
    // The newest root still claims.
    expect((await client.claims.prepare.mutate({ wallet: frank.publicKey.toBase58() })).rootSeq).toBe(
      String(first + 4n),
    );
  });

  it('status names the program error of a claim that landed and failed', async () => {
    const gina = get('gina');
    const client = clientOf(server);
    const prepared = await client.claims.prepare.mutate({ wallet: gina.publicKey.toBase58() });
    // The right claim with one sibling changed: the program refuses the proof.
    const proof = (await client.proofs.get.query({ wallet: gina.publicKey.toBase58(), seq: prepared.rootSeq })).proof;
    const wrong = proof.map((hex, i) => new Uint8Array(Buffer.from(i === 0 ? 'ff'.repeat(32) : hex, 'hex')));
    const instruction = getClaimInstruction(
      {
        claimer: gina.publicKey,
        rootSeq: BigInt(prepared.rootSeq),
        proof: wrong,
        cumulativeTotal: BigInt(prepared.total.gross),
      },
      f.config,
    );
    const { blockhash, lastValidBlockHeight } = await f.connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: gina.publicKey, blockhash, lastValidBlockHeight }).add(instruction);
    tx.sign(gina);
    const failed = await sendAndConfirm(f.client, tx, {
      lastValidBlockHeight,
      skipPreflight: true,
      pollEveryMs: 20,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(TransactionFailedError);
    const signature = (failed as TransactionFailedError).signature;
    const status = await client.claims.status.query({ signature });
    expect(status).toMatchObject({ kind: 'merkle', status: 'failed', signature, amount: null });
    expect(status.error?.name).toBe('InvalidProof');
    expect(status.error?.message).toMatch(/^InvalidProof \(6004\)/);
  });

  it('refuses what this mode or configuration cannot do: direct claims, sponsoring without a key, unknown wallets', async () => {
    const gina = get('gina');
    const address = gina.publicKey.toBase58();
    const direct = await refusal(clientOf(server).claims.direct.mutate({ wallet: address }));
    expect(direct.code).toBe('PRECONDITION_FAILED');
    expect(direct.message).toMatch(/^settlement is merkle \(SETTLEMENT=merkle\): claim through the program/);
    const noKey = await refusal(clientOf(bare).claims.sponsor.mutate({ wallet: address }));
    expect(noKey.code).toBe('PRECONDITION_FAILED');
    expect(noKey.message).toContain('no sponsor fee payer key is configured');
    const unknown = wallet(f, `claims unknown ${name}`, 0n).publicKey.toBase58();
    const missing = await refusal(clientOf(server).claims.prepare.mutate({ wallet: unknown }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/has no leaf in root \d+/);
    const bad = await refusal(clientOf(server).claims.prepare.mutate({ wallet: 'not-a-wallet' }));
    expect(bad.code).toBe('BAD_REQUEST');
    const status = await clientOf(server).claims.status.query({ signature: '1'.repeat(64) });
    expect(status.status).toBe('not-found');
  });
});
