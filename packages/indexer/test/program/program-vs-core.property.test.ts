// The program and the core library checked against each other on random trees: core builds and publishes a root over
// random wallets and totals (V4 or V5); every claim of a random subset with core's proof succeeds and pays exactly its
// total, and the same claim with its amount, a sibling or the wallet changed fails with InvalidProof (6004).
import type { GlobalEntryInput, GlobalRootTree, LeafVersion } from '@attention-oracle/core';
import { getClaimInstruction } from '@attention-oracle/sdk';
import type { PublicKey, TransactionInstruction } from '@solana/web3.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ata, must } from '../chain/helpers.js';
import {
  claimedTotal,
  claimInstruction,
  customErrorCode,
  namedKeypair,
  type ProgramFixture,
  programFixture,
  publishTree,
  send,
  sendFailing,
  tokenBalance,
  transferFee,
  treasury,
  useProgramChain,
  wallet,
} from './program-fixture.js';

type Mutation = 'none' | 'amount' | 'sibling' | 'wallet';

// A leaf's total (core refuses zero totals) and, for V5, how it splits into base yield and attention bonus.
const leafArb = fc
  .record({ total: fc.bigInt({ min: 1n, max: 2n * 10n ** 12n }), split: fc.bigInt({ min: 0n, max: 2n * 10n ** 12n }) })
  .map(({ total, split }) => ({
    total,
    baseYield: split % (total + 1n),
    attentionBonus: total - (split % (total + 1n)),
  }));
const claimArb = fc.record({
  index: fc.nat(),
  sponsored: fc.boolean(),
  mutation: fc.constantFrom<Mutation>('none', 'amount', 'sibling', 'wallet'),
});
const caseArb = fc.record({
  version: fc.constantFrom<LeafVersion>('v4', 'v5'),
  leaves: fc.array(leafArb, { minLength: 1, maxLength: 24 }),
  claims: fc.array(claimArb, { minLength: 1, maxLength: 6 }),
});

describe('the program against core on random trees', () => {
  const chain = useProgramChain();
  let f: ProgramFixture;
  let run = 0;

  beforeAll(() => {
    f = programFixture(chain());
  });

  /** `claimer`'s claim in `tree` altered as `mutation` says, sent by the sponsor (so any wallet can be named). */
  function mutated(tree: GlobalRootTree, claimer: PublicKey, mutation: Exclude<Mutation, 'none'>, stranger: PublicKey) {
    const { entry, proof } = must(tree.proofForWallet(claimer.toBytes()));
    const base = { claimer, payer: f.sponsor.publicKey, rootSeq: tree.rootSeq, proof };
    const kind = mutation === 'sibling' && proof.length === 0 ? 'amount' : mutation;
    const amounts =
      entry.baseYield === undefined
        ? { cumulativeTotal: entry.cumulativeTotal + (kind === 'amount' ? 1n : 0n) }
        : { baseYield: entry.baseYield + (kind === 'amount' ? 1n : 0n), attentionBonus: must(entry.attentionBonus) };
    if (kind === 'sibling') {
      const bent = proof.map((s, i) =>
        i === proof.length - 1 ? Uint8Array.from(s, (b, j) => (j === 31 ? b ^ 0x80 : b)) : s,
      );
      return getClaimInstruction({ ...base, proof: bent, ...amounts }, f.config);
    }
    if (kind === 'wallet') return getClaimInstruction({ ...base, claimer: stranger, ...amounts }, f.config);
    return getClaimInstruction({ ...base, ...amounts }, f.config);
  }

  it('core proofs claim exactly their totals; altered ones fail with InvalidProof', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ version, leaves, claims }) => {
        run++;
        // Fresh wallets every run (shrinking replays too), so no run sees another's claim state.
        const wallets = leaves.map((_, i) => namedKeypair(`core-vs-program ${run} ${i}`));
        const stranger = namedKeypair(`core-vs-program ${run} stranger`).publicKey;
        const entries: GlobalEntryInput[] = leaves.map(({ total, baseYield, attentionBonus }, i) => {
          const w = must(wallets[i]).publicKey.toBytes();
          return version === 'v4' ? { wallet: w, cumulativeTotal: total } : { wallet: w, baseYield, attentionBonus };
        });
        const tree = await publishTree(f, version, entries);
        const treasuryBefore = await tokenBalance(f, treasury(f));
        let paid = 0n;
        const claimed = new Set<number>();
        for (const { index, sponsored, mutation } of claims) {
          const i = index % wallets.length;
          if (claimed.has(i)) continue;
          claimed.add(i);
          const claimer = must(wallets[i]);
          const { total } = must(leaves[i]);
          if (mutation !== 'none') {
            const failure = await sendFailing(f, [mutated(tree, claimer.publicKey, mutation, stranger)], [f.sponsor]);
            expect(customErrorCode(failure), `${mutation} of wallet ${i}`).toBe(6004);
          }
          let ix: TransactionInstruction;
          if (sponsored) {
            ix = claimInstruction(f, tree, claimer.publicKey, f.sponsor.publicKey);
            await send(f, [ix], [f.sponsor]);
          } else {
            wallet(f, `core-vs-program ${run} ${i}`);
            ix = claimInstruction(f, tree, claimer.publicKey);
            await send(f, [ix], [claimer]);
          }
          paid += total;
          expect(await tokenBalance(f, ata(f.config.mint, claimer.publicKey))).toBe(total - transferFee(total));
          expect(await claimedTotal(f, claimer.publicKey)).toBe(total);
        }
        expect(await tokenBalance(f, treasury(f))).toBe(treasuryBefore - paid);
        for (const [i, w] of wallets.entries()) {
          if (!claimed.has(i)) expect(await claimedTotal(f, w.publicKey)).toBeNull();
        }
        expect(await claimedTotal(f, stranger)).toBeNull();
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
