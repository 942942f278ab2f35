// The SDK's claim transactions, unchanged, against the local program at the mainnet program id with every SDK default
// but the mint: user-signed and sponsored, V4 and V5 leaves, legacy transactions, and proofs too deep for a legacy
// transaction sent as v0 transactions loading the claim's fixed accounts from an address lookup table.
import { randomBytes } from 'node:crypto';
import {
  buildGlobalRootTree,
  type GlobalEntryInput,
  globalLeavesFromEntries,
  globalV4LeafHash,
  globalV5LeafHash,
  processProof,
} from '@attention-oracle/core';
import {
  buildClaimTransaction,
  type ClaimAmounts,
  type ClaimInput,
  claimLookupTableAddresses,
  decodeClaimStateGlobal,
  decodeGlobalRootConfig,
  findClaimStateGlobalPda,
  getPublishGlobalRootInstruction,
  MAX_TRANSACTION_SIZE,
  type ProgramConfig,
  parseProgramEvents,
  TransactionTooLargeError,
} from '@attention-oracle/sdk';
import type { AddressLookupTableAccount, Keypair, PublicKey } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ata, must } from '../chain/helpers.js';
import {
  createLookupTable,
  type ProgramFixture,
  programFixture,
  send,
  sendBuilt,
  tokenBalance,
  transactionMeta,
  transferFee,
  useProgramChain,
  wallet,
} from './program-fixture.js';

const TOKEN = 1_000_000_000n;
const BLOCKHASH = '11111111111111111111111111111111';

describe("the SDK's claim transactions on the local program", () => {
  const chain = useProgramChain();
  let f: ProgramFixture;
  let table: AddressLookupTableAccount;
  /** Only the mint: the program id, treasury and programs are the SDK's defaults. */
  let sdk: ProgramConfig;

  beforeAll(async () => {
    f = programFixture(chain());
    sdk = { mint: f.config.mint };
    table = await createLookupTable(f, claimLookupTableAddresses(sdk));
  });

  async function nextSeq(): Promise<bigint> {
    const info = must(await f.connection.getAccountInfo(f.resolved.globalRootConfig));
    return decodeGlobalRootConfig(info.data).latestRootSeq + 1n;
  }

  async function publish(rootSeq: bigint, root: Uint8Array): Promise<void> {
    const payer = f.publisher.publicKey;
    await send(
      f,
      [getPublishGlobalRootInstruction({ payer, rootSeq, root, datasetHash: randomBytes(32) }, sdk)],
      [f.publisher],
    );
  }

  async function publishTree(version: 'v4' | 'v5', entries: GlobalEntryInput[]) {
    const rootSeq = await nextSeq();
    const tree = await buildGlobalRootTree({
      mint: f.config.mint.toBytes(),
      rootSeq,
      leaves: globalLeavesFromEntries(version, entries),
    });
    await publish(rootSeq, tree.root);
    return tree;
  }

  /** Sends the SDK-built claim, signed by the payer (sponsored) or the claimer; returns it and its signature. */
  function claim(input: ClaimInput & { computeUnitLimit?: number; computeUnitPrice?: bigint }, signer: Keypair) {
    return sendBuilt(
      f,
      (recentBlockhash, lastValidBlockHeight) =>
        buildClaimTransaction({ ...input, recentBlockhash, lastValidBlockHeight, lookupTable: table }, sdk),
      [signer],
    );
  }

  async function expectPaid(owner: PublicKey, gross: bigint, claimedTotal: bigint, signature: string) {
    expect(await tokenBalance(f, ata(f.config.mint, owner))).toBe(gross - transferFee(gross));
    const state = must(await f.connection.getAccountInfo(findClaimStateGlobalPda(owner, sdk).address));
    expect(decodeClaimStateGlobal(state.data).claimedTotal).toBe(claimedTotal);
    const events = parseProgramEvents((await transactionMeta(f, signature)).logs, sdk);
    expect(events.map((e) => e.name)).toEqual(['GlobalRewardsClaimed']);
  }

  it('V4, user-signed (with compute budget instructions) and sponsored, as legacy transactions', async () => {
    const alice = wallet(f, 'sdk alice');
    const bob = wallet(f, 'sdk bob', 0n);
    const tree = await publishTree('v4', [
      { wallet: alice.publicKey.toBytes(), cumulativeTotal: 12n * TOKEN },
      { wallet: bob.publicKey.toBytes(), cumulativeTotal: 4n * TOKEN },
      { wallet: wallet(f, 'sdk carol', 0n).publicKey.toBytes(), cumulativeTotal: 1n },
    ]);
    const leaf = (owner: Keypair) => must(tree.proofForWallet(owner.publicKey.toBytes()));

    const own = await claim(
      {
        claimer: alice.publicKey,
        rootSeq: tree.rootSeq,
        cumulativeTotal: leaf(alice).entry.cumulativeTotal,
        proof: leaf(alice).proof,
        computeUnitLimit: 60_000,
        computeUnitPrice: 1_000n,
      },
      alice,
    );
    expect(own.built.version).toBe('legacy');
    await expectPaid(alice.publicKey, 12n * TOKEN, 12n * TOKEN, own.signature);

    const sponsorBefore = await f.connection.getBalance(f.sponsor.publicKey);
    const sponsored = await claim(
      {
        claimer: bob.publicKey,
        payer: f.sponsor.publicKey,
        rootSeq: tree.rootSeq,
        cumulativeTotal: leaf(bob).entry.cumulativeTotal,
        proof: leaf(bob).proof,
      },
      f.sponsor,
    );
    expect(sponsored.built.version).toBe('legacy');
    await expectPaid(bob.publicKey, 4n * TOKEN, 4n * TOKEN, sponsored.signature);
    expect(await f.connection.getBalance(bob.publicKey)).toBe(0);
    expect(await f.connection.getBalance(f.sponsor.publicKey)).toBeLessThan(sponsorBefore);
  });

  it('V5, user-signed and sponsored, as legacy transactions', async () => {
    const dave = wallet(f, 'sdk dave');
    const erin = wallet(f, 'sdk erin', 0n);
    const tree = await publishTree('v5', [
      { wallet: dave.publicKey.toBytes(), baseYield: 2n * TOKEN, attentionBonus: 3n * TOKEN },
      { wallet: erin.publicKey.toBytes(), baseYield: 0n, attentionBonus: 6n * TOKEN },
    ]);
    for (const [owner, sponsored, total] of [
      [dave, false, 5n * TOKEN],
      [erin, true, 6n * TOKEN],
    ] as const) {
      const { entry, proof } = must(tree.proofForWallet(owner.publicKey.toBytes()));
      const amounts = { baseYield: must(entry.baseYield), attentionBonus: must(entry.attentionBonus) };
      const payer = sponsored ? f.sponsor : owner;
      const sent = await claim(
        { claimer: owner.publicKey, payer: payer.publicKey, rootSeq: tree.rootSeq, proof, ...amounts },
        payer,
      );
      expect(sent.built.version).toBe('legacy');
      await expectPaid(owner.publicKey, total, total, sent.signature);
    }
  });

  /** The deepest proof a claim of this shape fits into with the lookup table (a legacy one fits fewer). */
  function deepestFit(sponsored: boolean, v5: boolean) {
    const key = f.sponsor.publicKey;
    const amounts: ClaimAmounts = v5 ? { baseYield: 1n, attentionBonus: 1n } : { cumulativeTotal: 1n };
    const fits = (depth: number, lookupTable?: AddressLookupTableAccount) => {
      const proof = Array.from({ length: depth }, () => new Uint8Array(32));
      const input = { claimer: f.admin.publicKey, payer: sponsored ? key : undefined, rootSeq: 1n, proof, ...amounts };
      try {
        return buildClaimTransaction({ ...input, recentBlockhash: BLOCKHASH, lookupTable }, sdk);
      } catch (error) {
        if (error instanceof TransactionTooLargeError) return null;
        throw error;
      }
    };
    let deepest = 0;
    while (deepest < 32 && fits(deepest + 1, table)) deepest++;
    let legacy = 0;
    while (legacy < 32 && fits(legacy + 1)) legacy++;
    return { deepest, legacy, built: must(fits(deepest, table)) };
  }

  it.each([
    ['V4 user-signed', false, false],
    ['V4 sponsored', true, false],
    ['V5 user-signed', false, true],
    ['V5 sponsored', true, true],
  ] as const)(
    '%s: the deepest proof that fits lands as a v0 transaction with the lookup table',
    async (label, sponsored, v5) => {
      const { deepest, legacy, built } = deepestFit(sponsored, v5);
      expect(deepest).toBeGreaterThan(legacy);
      expect(built.version).toBe(0);
      expect(built.size).toBeLessThanOrEqual(MAX_TRANSACTION_SIZE);

      const claimer = wallet(f, `sdk deep ${label}`, sponsored ? 0n : 1n);
      const rootSeq = await nextSeq();
      const wallet32 = claimer.publicKey.toBytes();
      const mint = f.config.mint.toBytes();
      const amounts: ClaimAmounts = v5
        ? { baseYield: TOKEN, attentionBonus: 2n * TOKEN }
        : { cumulativeTotal: 3n * TOKEN };
      const leaf = v5
        ? globalV5LeafHash(mint, rootSeq, wallet32, TOKEN, 2n * TOKEN)
        : globalV4LeafHash(mint, rootSeq, wallet32, 3n * TOKEN);
      // Random siblings above the leaf lead to the root the program is given (it does not care how the tree looked).
      const proof = Array.from({ length: deepest }, () => new Uint8Array(randomBytes(32)));
      await publish(rootSeq, processProof(leaf, proof));

      const payer = sponsored ? f.sponsor : claimer;
      const sent = await claim(
        { claimer: claimer.publicKey, payer: payer.publicKey, rootSeq, proof, ...amounts },
        payer,
      );
      expect(sent.built.version).toBe(0);
      await expectPaid(claimer.publicKey, 3n * TOKEN, 3n * TOKEN, sent.signature);
      // The same claim without the table does not fit a legacy transaction.
      expect(() =>
        buildClaimTransaction(
          {
            claimer: claimer.publicKey,
            payer: payer.publicKey,
            rootSeq,
            proof,
            ...amounts,
            recentBlockhash: BLOCKHASH,
          },
          sdk,
        ),
      ).toThrow(TransactionTooLargeError);
    },
  );
});
