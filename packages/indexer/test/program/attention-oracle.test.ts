// The committed local Attention Oracle program on a bootstrapped local chain (at the mainnet program id): the real
// merkle flow (publish a root built by core, claim with its proofs, receive tokens net of the mint's transfer fee) and
// every rule and error the interface names, as transactions through the RPC client, with the SDK's builders and
// decoders. Initialization runs on a second, uninitialized copy of the program.
import { randomBytes } from 'node:crypto';
import {
  buildGlobalRootTree,
  type GlobalEntryInput,
  globalLeavesFromEntries,
  globalV4LeafHash,
  processProof,
} from '@attention-oracle/core';
import {
  decodeClaimStateGlobal,
  decodeGlobalRootConfig,
  decodeProtocolState,
  encodeProtocolState,
  findClaimStateGlobalPda,
  findGlobalRootConfigPda,
  findProtocolStatePda,
  getClaimInstruction,
  getInitializeGlobalRootInstruction,
  getInitializeProtocolStateInstruction,
  getPublishGlobalRootInstruction,
  INSTRUCTION_DISCRIMINATORS,
  parseProgramEvents,
  programErrorFromLogs,
  resolveClaimAccounts,
} from '@attention-oracle/sdk';
import { TOKEN_PROGRAM_ID } from '@solana/spl-token';
import { Keypair, type PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ata, must } from '../chain/helpers.js';
import {
  loadProgram,
  type ProgramFixture,
  programFixture,
  send,
  sendFailing,
  tokenBalance,
  transactionMeta,
  transferFee,
  treasury,
  useProgramChain,
  wallet,
} from './program-fixture.js';

const TOKEN = 1_000_000_000n;

describe('the local Attention Oracle program', () => {
  const chain = useProgramChain();
  let f: ProgramFixture;
  const units = new Map<string, number>();
  // Wallets of the first roots: w1 and w3 pay their own claims, w2 and w4 hold no SOL and are sponsored.
  let w1: Keypair;
  let w2: Keypair;
  let w3: Keypair;
  let w4: Keypair;
  let w5: Keypair;

  beforeAll(() => {
    f = programFixture(chain());
    [w1, w3, w5] = [wallet(f, 'w1'), wallet(f, 'w3'), wallet(f, 'w5')];
    [w2, w4] = [wallet(f, 'w2', 0n), wallet(f, 'w4', 0n)];
  });

  afterAll(() => {
    console.log(
      `compute units of the local program:\n${[...units].map(([what, cu]) => `  ${what}: ${cu}`).join('\n')}`,
    );
  });

  const mintBytes = () => f.config.mint.toBytes();

  async function latestRootSeq(): Promise<bigint> {
    const info = must(await f.connection.getAccountInfo(f.resolved.globalRootConfig), 'the global root config');
    return decodeGlobalRootConfig(info.data).latestRootSeq;
  }

  function publishIx(rootSeq: bigint, root: Uint8Array, payer: PublicKey = f.publisher.publicKey) {
    return getPublishGlobalRootInstruction({ payer, rootSeq, root, datasetHash: randomBytes(32) }, f.config);
  }

  /** Publishes a V4 (or V5) tree over `entries` at the next seq; returns the tree. */
  async function publishTree(version: 'v4' | 'v5', entries: GlobalEntryInput[]) {
    const rootSeq = (await latestRootSeq()) + 1n;
    const tree = await buildGlobalRootTree({
      mint: mintBytes(),
      rootSeq,
      leaves: globalLeavesFromEntries(version, entries),
    });
    const signature = await send(f, [publishIx(rootSeq, tree.root)], [f.publisher]);
    return { tree, signature };
  }

  /** The claim instruction for `claimer`'s leaf in `tree` (sponsored by `payer` when given). */
  function claimIx(tree: Awaited<ReturnType<typeof publishTree>>['tree'], claimer: Keypair, payer?: Keypair) {
    const { entry, proof } = must(tree.proofForWallet(claimer.publicKey.toBytes()), 'a leaf for the claimer');
    const parties = { claimer: claimer.publicKey, payer: payer?.publicKey, rootSeq: tree.rootSeq, proof };
    return entry.baseYield === undefined
      ? getClaimInstruction({ ...parties, cumulativeTotal: entry.cumulativeTotal }, f.config)
      : getClaimInstruction(
          { ...parties, baseYield: entry.baseYield, attentionBonus: must(entry.attentionBonus) },
          f.config,
        );
  }

  async function claimState(owner: PublicKey) {
    const info = await f.connection.getAccountInfo(findClaimStateGlobalPda(owner, f.config).address);
    return info ? decodeClaimStateGlobal(info.data) : null;
  }

  /** Sends `ix` expecting custom error `code`; checks the SDK reads the same error (and account) from the logs. */
  async function expectError(
    ix: TransactionInstruction,
    signers: Keypair[],
    code: number,
    accountName?: string,
    on: ProgramFixture = f,
  ) {
    const { err, logs } = await sendFailing(on, [ix], signers);
    expect(err).toEqual({ InstructionError: [0, { Custom: code }] });
    const parsed = programErrorFromLogs(logs, on.config);
    expect(parsed?.code).toBe(code);
    if (accountName !== undefined) expect(parsed?.accountName).toBe(accountName);
    return parsed;
  }

  async function setPaused(paused: boolean) {
    const address = findProtocolStatePda(f.config).address;
    const info = must(await f.connection.getAccountInfo(address));
    const data = encodeProtocolState({ ...decodeProtocolState(info.data), paused });
    f.chain.ledger.setAccounts([
      {
        address: address.toBase58(),
        lamports: info.lamports.toString(),
        owner: info.owner.toBase58(),
        executable: false,
        data: Buffer.from(data).toString('base64'),
      },
    ]);
  }

  describe('initialization (a second, uninitialized copy of the program)', () => {
    let g: ProgramFixture;
    beforeAll(() => {
      g = loadProgram(chain(), 'uninitialized program');
    });
    const roles = () => ({
      admin: g.admin.publicKey,
      publisher: g.publisher.publicKey,
      oracleAuthority: g.publisher.publicKey,
    });

    it('creates ProtocolState at its PDA with the 173-byte layout, once', async () => {
      const ix = getInitializeProtocolStateInstruction(roles(), g.config);
      const elsewhere = new TransactionInstruction({
        ...ix,
        keys: ix.keys.map((k, i) => (i === 1 ? { ...k, pubkey: Keypair.generate().publicKey } : k)),
      });
      await expectError(elsewhere, [g.admin], 2006, 'protocol_state', g);
      // Not a mint: the admin's wallet where the mint goes (ProtocolState's seeds do not include the mint).
      const notAMint = getInitializeProtocolStateInstruction(
        { ...roles(), treasury: treasury(g) },
        { ...g.config, mint: g.admin.publicKey },
      );
      await expectError(notAMint, [g.admin], 6016, 'mint', g);

      await send(g, [ix], [g.admin]);
      const { address, bump } = findProtocolStatePda(g.config);
      const info = must(await g.connection.getAccountInfo(address));
      expect(info.owner.equals(g.config.programId)).toBe(true);
      expect(info.data.length).toBe(173);
      expect(info.lamports).toBe(await g.connection.getMinimumBalanceForRentExemption(173));
      const state = decodeProtocolState(info.data);
      expect(state).toMatchObject({ isInitialized: true, version: 1, paused: false, requireReceipt: false, bump });
      expect(state.admin.equals(g.admin.publicKey)).toBe(true);
      expect(state.publisher.equals(g.publisher.publicKey)).toBe(true);
      // The SDK's default treasury: the Token-2022 ATA of ProtocolState for the mint.
      expect(state.treasury.equals(treasury(g))).toBe(true);
      expect(state.oracleAuthority.equals(g.publisher.publicKey)).toBe(true);
      expect(state.mint.equals(g.config.mint)).toBe(true);

      // A second initialization fails in the System program (the account is in use) and changes nothing.
      const again = getInitializeProtocolStateInstruction(
        { admin: w1.publicKey, publisher: w1.publicKey, treasury: w1.publicKey, oracleAuthority: w1.publicKey },
        g.config,
      );
      const { err } = await sendFailing(g, [again], [w1]);
      expect(err).toEqual({ InstructionError: [0, { Custom: 0 }] });
      expect(decodeProtocolState(must(await g.connection.getAccountInfo(address)).data)).toEqual(state);
    });

    it('refuses to publish before the global root config exists (GlobalRootNotInitialized)', async () => {
      const ix = getPublishGlobalRootInstruction(
        { payer: g.publisher.publicKey, rootSeq: 1n, root: randomBytes(32), datasetHash: randomBytes(32) },
        g.config,
      );
      await expectError(ix, [g.publisher], 6052, 'global_root_config', g);
    });

    it('creates GlobalRootConfig for the admin or publisher only', async () => {
      const stranger = wallet(g, 'stranger-init');
      const byStranger = getInitializeGlobalRootInstruction({ payer: stranger.publicKey }, g.config);
      await expectError(byStranger, [stranger], 6000, undefined, g);

      await send(g, [getInitializeGlobalRootInstruction({ payer: g.publisher.publicKey }, g.config)], [g.publisher]);
      const info = must(await g.connection.getAccountInfo(g.resolved.globalRootConfig));
      expect(info.data.length).toBe(370);
      expect(info.owner.equals(g.config.programId)).toBe(true);
      const config = decodeGlobalRootConfig(info.data);
      expect(config).toMatchObject({ version: 1, bump: findGlobalRootConfigPda(g.config).bump, latestRootSeq: 0n });
      expect(config.mint.equals(g.config.mint)).toBe(true);
      expect(config.roots.every((r) => r.seq === 0n)).toBe(true);
    });
  });

  describe('the merkle flow', () => {
    let root1: Awaited<ReturnType<typeof publishTree>>['tree'];

    it('publishes seq 1 (a V4 tree built by core) into roots[1] and emits GlobalRootPublished', async () => {
      const entries = [
        { wallet: w1.publicKey.toBytes(), cumulativeTotal: 100n * TOKEN },
        { wallet: w2.publicKey.toBytes(), cumulativeTotal: 50n * TOKEN },
        { wallet: w3.publicKey.toBytes(), cumulativeTotal: 7n * TOKEN },
        { wallet: w4.publicKey.toBytes(), cumulativeTotal: 3n * TOKEN },
        { wallet: w5.publicKey.toBytes(), cumulativeTotal: 1n * TOKEN },
      ];
      const { tree, signature } = await publishTree('v4', entries);
      root1 = tree;
      const meta = await transactionMeta(f, signature);
      units.set('publish_global_root', meta.computeUnits);
      const config = decodeGlobalRootConfig(must(await f.connection.getAccountInfo(f.resolved.globalRootConfig)).data);
      expect(config.latestRootSeq).toBe(1n);
      const entry = must(config.roots[1]);
      expect(entry.seq).toBe(1n);
      expect(Buffer.from(entry.root).equals(Buffer.from(tree.root))).toBe(true);
      expect(entry.publishedSlot).toBeGreaterThan(0n);
      const events = parseProgramEvents(meta.logs, f.config);
      expect(events).toHaveLength(1);
      const event = must(events[0]);
      expect(event.name).toBe('GlobalRootPublished');
      if (event.name !== 'GlobalRootPublished') return;
      expect(event.data.rootSeq).toBe(1n);
      expect(event.data.mint.equals(f.config.mint)).toBe(true);
      expect(event.data.publisher.equals(f.publisher.publicKey)).toBe(true);
      expect(Buffer.from(event.data.root).equals(Buffer.from(tree.root))).toBe(true);
      expect(Buffer.from(event.data.datasetHash).equals(Buffer.from(entry.datasetHash))).toBe(true);
      expect(event.data.slot).toBe(entry.publishedSlot);
    });

    it('accepts only latest + 1 as the next seq, and only from the admin or publisher', async () => {
      await expectError(publishIx(1n, randomBytes(32)), [f.publisher], 6006);
      await expectError(publishIx(3n, randomBytes(32)), [f.publisher], 6006);
      const stranger = wallet(f, 'stranger-publish');
      await expectError(publishIx(2n, randomBytes(32), stranger.publicKey), [stranger], 6000);
      expect(await latestRootSeq()).toBe(1n);
    });

    it('claim_global pays the cumulative total, net of the transfer fee, creating claim state and ATA', async () => {
      const before = await tokenBalance(f, treasury(f));
      const signature = await send(f, [claimIx(root1, w1)], [w1]);
      const meta = await transactionMeta(f, signature);
      units.set('claim_global, first claim (creates claim state and ATA), depth 3', meta.computeUnits);
      const claimerAta = ata(f.config.mint, w1.publicKey);
      expect(await tokenBalance(f, claimerAta)).toBe(100n * TOKEN - transferFee(100n * TOKEN));
      expect(await tokenBalance(f, treasury(f))).toBe(before - 100n * TOKEN);
      const state = must(await claimState(w1.publicKey));
      expect(state).toMatchObject({
        version: 1,
        bump: findClaimStateGlobalPda(w1.publicKey, f.config).bump,
        claimedTotal: 100n * TOKEN,
        lastClaimSeq: 1n,
      });
      expect(state.wallet.equals(w1.publicKey)).toBe(true);
      expect(state.mint.equals(f.config.mint)).toBe(true);
      const claimStateInfo = must(
        await f.connection.getAccountInfo(findClaimStateGlobalPda(w1.publicKey, f.config).address),
      );
      expect(claimStateInfo.lamports).toBe(await f.connection.getMinimumBalanceForRentExemption(90));
      const events = parseProgramEvents(meta.logs, f.config);
      expect(events.map((e) => e.name)).toEqual(['GlobalRewardsClaimed']);
      const event = must(events[0]);
      if (event.name !== 'GlobalRewardsClaimed') return;
      expect(event.data).toMatchObject({ amount: 100n * TOKEN, cumulativeTotal: 100n * TOKEN, rootSeq: 1n });
      expect(event.data.claimer.equals(w1.publicKey)).toBe(true);
    });

    it('a re-claim of the same total succeeds and moves nothing', async () => {
      const claimerAta = ata(f.config.mint, w1.publicKey);
      const balance = await tokenBalance(f, claimerAta);
      const state = await claimState(w1.publicKey);
      const signature = await send(f, [claimIx(root1, w1)], [w1]);
      const meta = await transactionMeta(f, signature);
      units.set('claim_global, repeat claim with nothing to pay, depth 3', meta.computeUnits);
      expect(parseProgramEvents(meta.logs, f.config)).toEqual([]);
      expect(await tokenBalance(f, claimerAta)).toBe(balance);
      expect(await claimState(w1.publicKey)).toEqual(state);
    });

    it('pays only the difference when a later root raises the total; an older root pays nothing more', async () => {
      const { tree } = await publishTree('v4', [
        { wallet: w1.publicKey.toBytes(), cumulativeTotal: 150n * TOKEN },
        { wallet: w2.publicKey.toBytes(), cumulativeTotal: 50n * TOKEN },
      ]);
      const claimerAta = ata(f.config.mint, w1.publicKey);
      const balance = await tokenBalance(f, claimerAta);
      const signature = await send(f, [claimIx(tree, w1)], [w1]);
      units.set(
        'claim_global, repeat claim with a transfer, depth 1',
        (await transactionMeta(f, signature)).computeUnits,
      );
      expect(await tokenBalance(f, claimerAta)).toBe(balance + 50n * TOKEN - transferFee(50n * TOKEN));
      expect(await claimState(w1.publicKey)).toMatchObject({ claimedTotal: 150n * TOKEN, lastClaimSeq: 2n });
      // Root 1 is still one of the four kept, and its total (100) is below what was paid (150): a no-op.
      await send(f, [claimIx(root1, w1)], [w1]);
      expect(await tokenBalance(f, claimerAta)).toBe(balance + 50n * TOKEN - transferFee(50n * TOKEN));
      expect(await claimState(w1.publicKey)).toMatchObject({ claimedTotal: 150n * TOKEN, lastClaimSeq: 2n });
    });

    it('claim_global_sponsored: the payer signs and pays rent, the claimer holds no SOL and need not sign', async () => {
      const sponsorBefore = await f.connection.getBalance(f.sponsor.publicKey);
      const signature = await send(f, [claimIx(root1, w2, f.sponsor)], [f.sponsor]);
      units.set('claim_global_sponsored, first claim, depth 3', (await transactionMeta(f, signature)).computeUnits);
      expect(await tokenBalance(f, ata(f.config.mint, w2.publicKey))).toBe(50n * TOKEN - transferFee(50n * TOKEN));
      expect(await f.connection.getBalance(w2.publicKey)).toBe(0);
      const rent = (await f.connection.getMinimumBalanceForRentExemption(90)) + (await claimerAtaRent(w2.publicKey));
      expect(sponsorBefore - (await f.connection.getBalance(f.sponsor.publicKey))).toBe(rent + 5000);
      expect(await claimState(w2.publicKey)).toMatchObject({ claimedTotal: 50n * TOKEN, lastClaimSeq: 1n });
    });

    async function claimerAtaRent(owner: PublicKey) {
      return must(await f.connection.getAccountInfo(ata(f.config.mint, owner))).lamports;
    }

    it('claim_global_v2 and claim_global_sponsored_v2 pay base_yield + attention_bonus from a V5 root', async () => {
      const { tree } = await publishTree('v5', [
        { wallet: w3.publicKey.toBytes(), baseYield: 5n * TOKEN, attentionBonus: 2n * TOKEN },
        { wallet: w4.publicKey.toBytes(), baseYield: 0n, attentionBonus: 3n * TOKEN },
        { wallet: w5.publicKey.toBytes(), baseYield: 1n * TOKEN, attentionBonus: 1n },
      ]);
      const signature = await send(f, [claimIx(tree, w3)], [w3]);
      units.set('claim_global_v2, first claim, depth 2', (await transactionMeta(f, signature)).computeUnits);
      expect(await tokenBalance(f, ata(f.config.mint, w3.publicKey))).toBe(7n * TOKEN - transferFee(7n * TOKEN));
      expect(await claimState(w3.publicKey)).toMatchObject({ claimedTotal: 7n * TOKEN, lastClaimSeq: 3n });

      await send(f, [claimIx(tree, w4, f.sponsor)], [f.sponsor]);
      expect(await tokenBalance(f, ata(f.config.mint, w4.publicKey))).toBe(3n * TOKEN - transferFee(3n * TOKEN));
      expect(await f.connection.getBalance(w4.publicKey)).toBe(0);

      // The V5 leaf of w5 does not verify as a V4 leaf of the same total, nor with the amounts split differently.
      const { entry, proof } = must(tree.proofForWallet(w5.publicKey.toBytes()));
      const asV4 = { claimer: w5.publicKey, rootSeq: tree.rootSeq, proof, cumulativeTotal: entry.cumulativeTotal };
      await expectError(getClaimInstruction(asV4, f.config), [w5], 6004);
      const split = { claimer: w5.publicKey, rootSeq: tree.rootSeq, proof, baseYield: 1n, attentionBonus: TOKEN };
      await expectError(getClaimInstruction(split, f.config), [w5], 6004);
    });
  });

  describe('refusals', () => {
    let tree: Awaited<ReturnType<typeof publishTree>>['tree'];
    let claimer: Keypair;

    beforeAll(async () => {
      claimer = wallet(f, 'refusal-claimer');
      ({ tree } = await publishTree('v4', [
        { wallet: claimer.publicKey.toBytes(), cumulativeTotal: 9n * TOKEN },
        { wallet: w1.publicKey.toBytes(), cumulativeTotal: 150n * TOKEN },
        { wallet: w5.publicKey.toBytes(), cumulativeTotal: 2n * TOKEN },
      ]));
    });

    it('InvalidProof (6004): a wrong amount, a changed sibling, another wallet', async () => {
      const { proof, entry } = must(tree.proofForWallet(claimer.publicKey.toBytes()));
      const base = { claimer: claimer.publicKey, rootSeq: tree.rootSeq, proof };
      await expectError(
        getClaimInstruction({ ...base, cumulativeTotal: entry.cumulativeTotal + 1n }, f.config),
        [claimer],
        6004,
      );
      const bent = proof.map((s, i) => (i === 0 ? Uint8Array.from(s, (b, j) => (j === 0 ? b ^ 1 : b)) : s));
      await expectError(
        getClaimInstruction({ ...base, proof: bent, cumulativeTotal: entry.cumulativeTotal }, f.config),
        [claimer],
        6004,
      );
      const other = wallet(f, 'other-wallet');
      await expectError(
        getClaimInstruction({ ...base, claimer: other.publicKey, cumulativeTotal: entry.cumulativeTotal }, f.config),
        [other],
        6004,
      );
      expect(await claimState(claimer.publicKey)).toBeNull();
    });

    it('InvalidProofLength (6005): a proof declaring more than 32 siblings', async () => {
      // 33 siblings cannot fit a transaction (1,232 bytes), so the program checks the declared count before reading
      // them; the SDK refuses to build such a proof, so the instruction data is written here.
      const ix = claimIx(tree, claimer);
      const count = Buffer.alloc(4);
      count.writeUInt32LE(33);
      const data = Buffer.concat([ix.data.subarray(0, 24), count, ...Array.from({ length: 8 }, () => randomBytes(32))]);
      await expectError(new TransactionInstruction({ ...ix, data }), [claimer], 6005);
      // A count that promises more siblings than the data holds does not deserialize.
      count.writeUInt32LE(9);
      const short = Buffer.concat([
        ix.data.subarray(0, 24),
        count,
        ...Array.from({ length: 8 }, () => randomBytes(32)),
      ]);
      await expectError(new TransactionInstruction({ ...ix, data: short }), [claimer], 102);
    });

    it('RootTooOldOrMissing (6007): a seq not yet published, and a seq rotated out of the four kept', async () => {
      const latest = await latestRootSeq();
      const { proof, entry } = must(tree.proofForWallet(claimer.publicKey.toBytes()));
      const future = {
        claimer: claimer.publicKey,
        rootSeq: latest + 1n,
        proof,
        cumulativeTotal: entry.cumulativeTotal,
      };
      await expectError(getClaimInstruction(future, f.config), [claimer], 6007);
      // Root 2 leaves the four kept when seq 6 takes its slot (2 % 4 == 6 % 4).
      while ((await latestRootSeq()) < 6n) {
        await send(f, [publishIx((await latestRootSeq()) + 1n, randomBytes(32))], [f.publisher]);
      }
      const config = decodeGlobalRootConfig(must(await f.connection.getAccountInfo(f.resolved.globalRootConfig)).data);
      expect(config.roots.map((r) => r.seq)).toEqual([4n, 5n, 6n, 3n]);
      // The same leaves and seq as the root published as seq 2 rebuild its proofs exactly.
      const root2 = await buildGlobalRootTree({
        mint: mintBytes(),
        rootSeq: 2n,
        leaves: globalLeavesFromEntries('v4', [
          { wallet: w1.publicKey.toBytes(), cumulativeTotal: 150n * TOKEN },
          { wallet: w2.publicKey.toBytes(), cumulativeTotal: 50n * TOKEN },
        ]),
      });
      await expectError(claimIx(root2, w1), [w1], 6007);
    });

    it('ProtocolPaused (6002): claims and the publisher stop, the admin may still publish', async () => {
      await setPaused(true);
      try {
        await expectError(claimIx(tree, claimer), [claimer], 6002);
        await expectError(claimIx(tree, w5, f.sponsor), [f.sponsor], 6002);
        const next = (await latestRootSeq()) + 1n;
        await expectError(publishIx(next, randomBytes(32)), [f.publisher], 6002);
        await send(f, [publishIx(next, randomBytes(32), f.admin.publicKey)], [f.admin]);
        expect(await latestRootSeq()).toBe(next);
      } finally {
        await setPaused(false);
      }
    });

    it('InvalidMint (6016) and InvalidTokenProgram (6019)', async () => {
      const ix = claimIx(tree, claimer);
      const accounts = resolveClaimAccounts({ claimer: claimer.publicKey }, f.config);
      const swap = (key: PublicKey, by: PublicKey) =>
        new TransactionInstruction({
          ...ix,
          keys: ix.keys.map((k) => (k.pubkey.equals(key) ? { ...k, pubkey: by } : k)),
        });
      await expectError(swap(accounts.mint, Keypair.generate().publicKey), [claimer], 6016, 'mint');
      await expectError(swap(accounts.tokenProgram, TOKEN_PROGRAM_ID), [claimer], 6019, 'token_program');
    });

    it('a treasury other than ProtocolState.treasury fails with ConstraintAddress (2012) naming treasury_ata', async () => {
      const ix = getClaimInstruction(
        {
          claimer: claimer.publicKey,
          rootSeq: tree.rootSeq,
          proof: must(tree.proofForWallet(claimer.publicKey.toBytes())).proof,
          cumulativeTotal: 9n * TOKEN,
        },
        { ...f.config, treasury: ata(f.config.mint, f.admin.publicKey) },
      );
      const error = await expectError(ix, [claimer], 2012, 'treasury_ata');
      expect(error?.message).toContain('treasury_ata');
    });

    it('forged accounts fail: a ProtocolState not owned by the program, a claim state of another wallet', async () => {
      // A copy of ProtocolState naming the stranger as admin, owned by another program than this one.
      const stranger = wallet(f, 'stranger-forger');
      const real = must(await f.connection.getAccountInfo(f.resolved.protocolState));
      const forged = Keypair.generate().publicKey;
      const data = encodeProtocolState({ ...decodeProtocolState(real.data), admin: stranger.publicKey });
      f.chain.ledger.setAccounts([
        {
          address: forged.toBase58(),
          lamports: real.lamports.toString(),
          owner: stranger.publicKey.toBase58(),
          executable: false,
          data: Buffer.from(data).toString('base64'),
        },
      ]);
      const publish = publishIx((await latestRootSeq()) + 1n, randomBytes(32), stranger.publicKey);
      const withForged = new TransactionInstruction({
        ...publish,
        keys: publish.keys.map((k, i) => (i === 1 ? { ...k, pubkey: forged } : k)),
      });
      await expectError(withForged, [stranger], 3007, 'protocol_state');

      // w1's claim state handed in for the claimer's claim.
      const ix = claimIx(tree, claimer);
      const mine = findClaimStateGlobalPda(claimer.publicKey, f.config).address;
      const theirs = findClaimStateGlobalPda(w1.publicKey, f.config).address;
      const swapped = new TransactionInstruction({
        ...ix,
        keys: ix.keys.map((k) => (k.pubkey.equals(mine) ? { ...k, pubkey: theirs } : k)),
      });
      await expectError(swapped, [claimer], 6008, 'claim_state');
    });

    it('an unknown instruction fails with InstructionFallbackNotFound (101)', async () => {
      const ix = claimIx(tree, claimer);
      const data = Buffer.from(ix.data);
      data.set(
        INSTRUCTION_DISCRIMINATORS.initialize_global_root.map((b) => b ^ 0xff),
        0,
      );
      await expectError(new TransactionInstruction({ ...ix, data }), [claimer], 101);
    });

    it('checks signer and writable flags', async () => {
      const ix = claimIx(tree, claimer);
      const readOnlyState = new TransactionInstruction({
        ...ix,
        keys: ix.keys.map((k, i) => (i === 3 ? { ...k, isWritable: false } : k)),
      });
      await expectError(readOnlyState, [claimer], 2000, 'claim_state');
      // claim_global needs the claimer's signature (the sponsored form exists for claims it does not sign).
      const unsigned = new TransactionInstruction({
        ...ix,
        keys: ix.keys.map((k, i) => (i === 0 ? { ...k, isSigner: false } : k)),
      });
      await expectError(unsigned, [f.sponsor], 3010, 'claimer');
    });

    it('after all the refusals the claimer can still claim, even with lamports already at its claim state address', async () => {
      // Anyone can send lamports to a PDA before it exists; creating it must not fail then (Anchor's init tops the
      // balance up, allocates and assigns instead of calling CreateAccount).
      const address = findClaimStateGlobalPda(claimer.publicKey, f.config).address;
      const lamports = await f.connection.getMinimumBalanceForRentExemption(0);
      await send(
        f,
        [SystemProgram.transfer({ fromPubkey: f.admin.publicKey, toPubkey: address, lamports })],
        [f.admin],
      );
      await send(f, [claimIx(tree, claimer)], [claimer]);
      expect(await tokenBalance(f, ata(f.config.mint, claimer.publicKey))).toBe(9n * TOKEN - transferFee(9n * TOKEN));
      const info = must(await f.connection.getAccountInfo(address));
      expect(info.owner.equals(f.config.programId)).toBe(true);
      expect(info.lamports).toBe(await f.connection.getMinimumBalanceForRentExemption(90));
      expect(await claimState(claimer.publicKey)).toMatchObject({
        claimedTotal: 9n * TOKEN,
        lastClaimSeq: tree.rootSeq,
      });
    });
  });

  describe('compute units', () => {
    // A proof of depth d: d random siblings above the wallet's leaf, and the root they lead to (the program does not
    // care how the tree was shaped).
    async function claimAtDepth(depth: number, claimer: Keypair, total: bigint) {
      const rootSeq = (await latestRootSeq()) + 1n;
      const leaf = globalV4LeafHash(mintBytes(), rootSeq, claimer.publicKey.toBytes(), total);
      const proof = Array.from({ length: depth }, () => new Uint8Array(randomBytes(32)));
      await send(f, [publishIx(rootSeq, processProof(leaf, proof))], [f.publisher]);
      const ix = getClaimInstruction({ claimer: claimer.publicKey, rootSeq, proof, cumulativeTotal: total }, f.config);
      return (await transactionMeta(f, await send(f, [ix], [claimer]))).computeUnits;
    }

    it('measures claims at depths 1, 10 and 20; depth 20 stays within 40,000 CU', async () => {
      for (const depth of [1, 10, 20]) {
        const claimer = wallet(f, `depth-${depth}`);
        units.set(`claim_global, first claim, depth ${depth}`, await claimAtDepth(depth, claimer, TOKEN));
        if (depth === 20) {
          units.set(
            'claim_global, repeat claim with a transfer, depth 20',
            await claimAtDepth(20, claimer, 2n * TOKEN),
          );
          units.set(
            'claim_global, repeat claim with nothing to pay, depth 20',
            await claimAtDepth(20, claimer, 2n * TOKEN),
          );
          expect(await tokenBalance(f, ata(f.config.mint, claimer.publicKey))).toBe(
            TOKEN - transferFee(TOKEN) + TOKEN - transferFee(TOKEN),
          );
        }
      }
      for (const [what, cu] of units) if (what.includes('depth 20')) expect(cu, what).toBeLessThanOrEqual(40_000);
    });
  });
});
