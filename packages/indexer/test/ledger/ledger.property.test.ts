// Random sequences of ledger operations against a plain in-memory model of the rules, checked after every step.
import { toHex } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCorrection, bindWallet, creditSealedEpochs } from '../../src/ledger/index.js';
import { backends, epochAt, optOut, resetLedger, sealWith, totals, useLedgerDatabase, wallet } from './fixtures.js';

const USERS = [1n, 2n, 3n];
const WALLETS = [wallet(1), wallet(2), wallet(3)].map(toHex);

type Step =
  | { op: 'seal'; allocations: [user: number, amount: bigint][] }
  | { op: 'bind'; user: number; wallet: number }
  | { op: 'opt-out'; user: number }
  | { op: 'correct'; user: number; amount: bigint };

const user = fc.integer({ min: 0, max: USERS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('seal' as const),
    allocations: fc.uniqueArray(fc.tuple(user, fc.bigInt({ min: 0n, max: 1000n })), {
      maxLength: 3,
      selector: ([u]) => u,
    }),
  }),
  fc.record({ op: fc.constant('bind' as const), user, wallet: fc.integer({ min: 0, max: WALLETS.length - 1 }) }),
  fc.record({ op: fc.constant('opt-out' as const), user }),
  fc.record({
    op: fc.constant('correct' as const),
    user,
    amount: fc.bigInt({ min: -600n, max: 600n }).filter((a) => a !== 0n),
  }),
);

/** The rules, with nothing but maps. */
class Model {
  readonly active = new Map<bigint, string>();
  readonly optedOut = new Set<bigint>();
  readonly waiting = new Map<bigint, bigint>();
  readonly offsets = new Map<bigint, bigint[]>();
  readonly totals = new Map<string, bigint>();
  /** Allocations of viewers not opted out when their epoch was credited. */
  creditable = 0n;

  credit(u: bigint, amount: bigint) {
    const w = this.active.get(u);
    if (w === undefined) this.waiting.set(u, (this.waiting.get(u) ?? 0n) + amount);
    else this.totals.set(w, (this.totals.get(w) ?? 0n) + amount);
  }

  seal(allocations: [bigint, bigint][]) {
    for (const [u, gross] of allocations) {
      if (this.optedOut.has(u)) continue;
      this.creditable += gross;
      let amount = gross;
      for (const [i, left] of (this.offsets.get(u) ?? []).entries()) {
        let take = amount;
        if (left < take) take = left;
        (this.offsets.get(u) as bigint[])[i] = left - take;
        amount -= take;
      }
      this.credit(u, amount);
    }
  }

  bind(u: bigint, w: string) {
    if (this.active.get(u) === w) return;
    this.active.set(u, w);
    this.credit(u, this.waiting.get(u) ?? 0n);
    this.waiting.set(u, 0n);
  }

  correct(u: bigint, amount: bigint) {
    if (amount > 0n) this.credit(u, amount);
    else this.offsets.set(u, [...(this.offsets.get(u) ?? []), -amount]);
  }
}

async function apply(db: DatabaseHandle, model: Model, s: Step, epoch: number): Promise<void> {
  if (s.op === 'seal') {
    const allocations = s.allocations.map(([u, a]) => [USERS[u] as bigint, a] as [bigint, bigint]);
    await sealWith(db, epoch, Object.fromEntries(allocations.map(([u, a]) => [u.toString(), a])));
    await creditSealedEpochs(db);
    model.seal(allocations);
  } else if (s.op === 'bind') {
    const u = USERS[s.user] as bigint;
    const w = WALLETS[s.wallet] as string;
    await bindWallet(db, { userId: u, wallet: wallet(s.wallet + 1), via: 'signature', actor: 'property' });
    model.bind(u, w);
  } else if (s.op === 'opt-out') {
    const u = USERS[s.user] as bigint;
    if (model.optedOut.has(u)) return;
    await optOut(db, u);
    model.optedOut.add(u);
  } else {
    const u = USERS[s.user] as bigint;
    await addCorrection(db, { viewer: u.toString(), amount: s.amount, reason: 'property', actor: 'property' });
    model.correct(u, s.amount);
  }
}

async function checkInvariants(db: DatabaseHandle, model: Model, previous: Record<string, bigint>) {
  const now = await totals(db);
  for (const [w, before] of Object.entries(previous)) expect(now[w] ?? 0n).toBeGreaterThanOrEqual(before);
  expect(now).toEqual(Object.fromEntries([...model.totals].filter(([, t]) => t > 0n).sort()));
  const sums = await db.query<{ w: string; s: string }>(sql`
    select encode(wallet, 'hex') as w, sum(amount)::text as s from wallet_credits where wallet is not null
    group by wallet having sum(amount) > 0 order by wallet`);
  expect(Object.fromEntries(sums.map((r) => [r.w, BigInt(r.s)]))).toEqual(now);
  const [ledger] = await db.query<{ amount: string; offset: string; applied: string }>(sql`
    select (select coalesce(sum(amount), 0)::text from wallet_credits where kind = 'epoch') as amount,
      (select coalesce(sum("offset"), 0)::text from wallet_credits where kind = 'epoch') as "offset",
      (select coalesce(sum(amount - remaining), 0)::text from corrections where kind = 'offset') as applied`);
  expect(BigInt(ledger?.amount ?? -1) + BigInt(ledger?.offset ?? -1)).toBe(model.creditable);
  expect(BigInt(ledger?.applied ?? -1)).toBe(BigInt(ledger?.offset ?? -2));
  return now;
}

describe.each(backends)('ledger rules under random operations on %s', (_, open) => {
  const db = useLedgerDatabase(open);

  it('keeps totals monotone, equal to their credited rows and to the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        await resetLedger(db());
        const model = new Model();
        let previous: Record<string, bigint> = {};
        for (const [i, s] of steps.entries()) {
          await apply(db(), model, s, epochAt(i));
          previous = await checkInvariants(db(), model, previous);
        }
      }),
      { numRuns: 50 },
    );
  });
});
