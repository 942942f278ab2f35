import { InvalidArgumentError, legacyLoginKey, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import {
  addCorrection,
  bindWallet,
  creditSealedEpochs,
  joinLegacyViewer,
  userOfViewer,
  viewersOfUser,
} from '../../src/ledger/index.js';
import {
  backends,
  credits,
  E,
  epochAt,
  optOut,
  remainingOffsets,
  sealWith,
  totalOf,
  useLedgerDatabase,
  wallet,
} from './fixtures.js';

const W1 = wallet(1);
const HASH = legacyLoginKey('zowzrd');
const LEGACY = `legacy:${toHex(HASH)}`;

describe.each(backends)('joining legacy viewers on %s', (_, open) => {
  const db = useLedgerDatabase(open);
  const join = (userId = 100n, loginHash = HASH) => joinLegacyViewer(db(), { userId, loginHash, actor: 'server' });

  it("assigns the legacy viewer's waiting credit to the user's active wallet, once", async () => {
    await sealWith(db(), E, { [LEGACY]: 10n, '100': 1n });
    await creditSealedEpochs(db());
    await bindWallet(db(), { userId: 100n, wallet: W1, via: 'signature', actor: 'server' });
    expect(await totalOf(db(), W1)).toBe(1n); // the legacy credit is nobody's yet
    expect(await join()).toEqual({ joined: true, viewer: LEGACY, movedCredit: 10n, wallet: W1 });
    expect(await totalOf(db(), W1)).toBe(11n);
    expect(await join()).toEqual({ joined: false, viewer: LEGACY, movedCredit: 0n, wallet: W1 });
    expect(await totalOf(db(), W1)).toBe(11n);
    expect(await userOfViewer(db().query, LEGACY)).toBe(100n);
    expect(await viewersOfUser(db().query, 100n)).toEqual(['100', LEGACY]);
    const [row] = await db().query(
      sql`select user_id::text as u, joined_at is not null as joined from legacy_identities`,
    );
    expect(row).toEqual({ u: '100', joined: true });
    expect(await db().query(sql`select subject from audit_log where action = 'legacy.joined'`)).toEqual([
      { subject: LEGACY },
    ]);
    // A positive correction under the legacy key is the user's too.
    expect(
      await addCorrection(db(), { viewer: LEGACY, amount: 2n, reason: 'missed raid', actor: 'cli' }),
    ).toMatchObject({
      wallet: W1,
    });
    expect(await totalOf(db(), W1)).toBe(13n);
  });

  it("moves the legacy viewer's waiting credit at the user's first binding when they had no wallet", async () => {
    await sealWith(db(), E, { [LEGACY]: 10n });
    await creditSealedEpochs(db());
    expect(await join()).toMatchObject({ joined: true, movedCredit: 0n, wallet: null });
    const bound = await bindWallet(db(), { userId: 100n, wallet: W1, via: 'signature', actor: 'server' });
    expect(bound).toMatchObject({ first: true, movedCredit: 10n });
    expect(await totalOf(db(), W1)).toBe(10n);
  });

  it('credits later legacy epochs (a backfill) to the user, applies legacy offsets to the user and honours opt-out', async () => {
    await addCorrection(db(), { viewer: LEGACY, amount: -4n, reason: 'paid elsewhere', actor: 'cli' });
    await bindWallet(db(), { userId: 100n, wallet: W1, via: 'signature', actor: 'server' });
    await join();
    await sealWith(db(), E, { [LEGACY]: 3n, '100': 5n });
    await creditSealedEpochs(db());
    expect((await credits(db())).map((c) => [c.viewer, c.wallet, c.gross, c.offset, c.amount])).toEqual([
      ['100', toHex(W1), 5n, 4n, 1n],
      [LEGACY, toHex(W1), 3n, 0n, 3n],
    ]);
    expect(await totalOf(db(), W1)).toBe(4n);
    expect(await remainingOffsets(db())).toEqual({ [LEGACY]: 0n });
    await optOut(db(), 100n);
    await sealWith(db(), epochAt(1), { [LEGACY]: 7n });
    expect(await creditSealedEpochs(db())).toEqual({ epochs: 1, credited: 0n, waiting: 0n });
    expect(await totalOf(db(), W1)).toBe(4n);
  });

  it('refuses a login hash joined to another user, and malformed input', async () => {
    await join(100n);
    await expect(join(200n)).rejects.toThrow(
      `${LEGACY} is already joined to user 100; it cannot be joined to user 200`,
    );
    await expect(join(100n, new Uint8Array(5))).rejects.toThrow('login hash must be 32 bytes, got 5 bytes');
    await expect(join(-1n)).rejects.toThrow(InvalidArgumentError);
  });
});
