// A property of the program over random histories: roots whose per-wallet totals never decrease, published one after
// another (V4 or V5), interleaved with claims against any of them. Every claim moves exactly the increase of the
// claimed cumulative total over what was claimed before (gross, out of the treasury; the wallet nets it minus the 50 bps
// fee), never more; a claim at or below the claimed total moves nothing; a root rotated out of the four kept fails
// with RootTooOldOrMissing (6007); the claim state's claimed_total is the highest total claimed.
import type { GlobalEntryInput, GlobalRootTree, LeafVersion } from '@attention-oracle/core';
import { decodeClaimStateGlobal, findClaimStateGlobalPda } from '@attention-oracle/sdk';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ata, must } from '../chain/helpers.js';
import {
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

const WALLETS = 3;
const amount = fc.bigInt({ min: 0n, max: 10n ** 11n });
const rootStep = fc.record({
  kind: fc.constant('root' as const),
  version: fc.constantFrom<LeafVersion>('v4', 'v5'),
  increments: fc.array(amount, { minLength: WALLETS, maxLength: WALLETS }),
});
const claimStep = fc.record({
  kind: fc.constant('claim' as const),
  wallet: fc.nat({ max: WALLETS - 1 }),
  /** Which root: 0 the latest, 1 the one before, ... (beyond the first of the run: the first). */
  back: fc.nat({ max: 6 }),
  sponsored: fc.boolean(),
});
const historyArb = fc.record({
  // Core refuses zero totals, so every wallet starts at 1 or more.
  initial: fc.array(fc.bigInt({ min: 1n, max: 10n ** 11n }), { minLength: WALLETS, maxLength: WALLETS }),
  version: fc.constantFrom<LeafVersion>('v4', 'v5'),
  steps: fc.array(fc.oneof(rootStep, claimStep), { minLength: 1, maxLength: 16 }),
});

interface Published {
  readonly tree: GlobalRootTree;
  readonly totals: readonly bigint[];
}

describe('claims over random histories of non-decreasing roots', () => {
  const chain = useProgramChain();
  let f: ProgramFixture;
  let run = 0;

  beforeAll(() => {
    f = programFixture(chain());
  });

  function entries(version: LeafVersion, owners: readonly Uint8Array[], totals: readonly bigint[]): GlobalEntryInput[] {
    return owners.map((w, i) => {
      const total = must(totals[i]);
      // V5: a third of the total is base yield, the rest attention bonus (the program pays their sum).
      return version === 'v4'
        ? { wallet: w, cumulativeTotal: total }
        : { wallet: w, baseYield: total / 3n, attentionBonus: total - total / 3n };
    });
  }

  it('pays exactly the increase of the cumulative total, never more', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ initial, version, steps }) => {
        run++;
        const labels = initial.map((_, i) => `claims property ${run} ${i}`);
        const keys = labels.map((label) => namedKeypair(label));
        const owners = keys.map((k) => k.publicKey.toBytes());
        const published: Published[] = [];
        const claimed = initial.map(() => 0n);
        const lastPaidSeq = initial.map(() => 0n);
        const net = initial.map(() => 0n);
        let totals = [...initial];
        published.push({ tree: await publishTree(f, version, entries(version, owners, totals)), totals });

        for (const step of steps) {
          if (step.kind === 'root') {
            totals = totals.map((t, i) => t + must(step.increments[i]));
            published.push({ tree: await publishTree(f, step.version, entries(step.version, owners, totals)), totals });
            continue;
          }
          const i = step.wallet;
          const key = must(keys[i]);
          const root = must(published[Math.max(0, published.length - 1 - step.back)]);
          const latest = must(published.at(-1)).tree.rootSeq;
          const payer = step.sponsored ? f.sponsor : wallet(f, must(labels[i]));
          const ix = claimInstruction(f, root.tree, key.publicKey, step.sponsored ? payer.publicKey : undefined);
          const treasuryBefore = await tokenBalance(f, treasury(f));
          if (latest - root.tree.rootSeq >= 4n) {
            // Only the four most recent roots can be claimed against.
            expect(customErrorCode(await sendFailing(f, [ix], [payer]))).toBe(6007);
          } else {
            await send(f, [ix], [payer]);
            const total = must(root.totals[i]);
            const delta = total > must(claimed[i]) ? total - must(claimed[i]) : 0n;
            if (delta > 0n) {
              claimed[i] = total;
              lastPaidSeq[i] = root.tree.rootSeq;
              net[i] = must(net[i]) + delta - transferFee(delta);
            }
            expect(treasuryBefore - (await tokenBalance(f, treasury(f)))).toBe(delta);
          }
          expect(await tokenBalance(f, ata(f.config.mint, key.publicKey))).toBe(net[i]);
          const state = await f.connection.getAccountInfo(findClaimStateGlobalPda(key.publicKey, f.config).address);
          if (state) {
            expect(decodeClaimStateGlobal(state.data)).toMatchObject({
              claimedTotal: claimed[i],
              lastClaimSeq: lastPaidSeq[i],
            });
          } else {
            // Only a claim refused before anything was created leaves no claim state.
            expect(claimed[i]).toBe(0n);
          }
        }
      }),
      { numRuns: 20 },
    );
  }, 300_000);
});
