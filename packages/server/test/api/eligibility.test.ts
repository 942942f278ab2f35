// eligibility.viewer and eligibility.wallet over tRPC and REST, without a chain (claimed is then unknown).
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { addSealedEpochsToLeaderboard } from '@attention-oracle/indexer';
import { beforeEach, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { storeRoot, useTestServer, wallet } from '../helpers.js';

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate roots, root_blobs, users, wallet_credits, wallet_totals, claims, epochs, allocations,
    suppressions, viewer_totals, channel_viewer_totals, leaderboard_buckets, leaderboard_epochs`);
}

/** A credit row (wallet null: waiting for a binding), and the wallet's total kept alongside as the ledger does. */
async function credit(db: DatabaseHandle, viewer: string, epoch: number, amount: bigint, walletNo: number | null) {
  const w = walletNo === null ? null : wallet(walletNo).bytes;
  await db.query(sql`insert into wallet_credits (viewer, wallet, kind, epoch, gross, amount, assigned_at)
    values (${viewer}, ${w}, 'epoch', ${epoch}::bigint, ${amount.toString()}::numeric, ${amount.toString()}::numeric,
      case when ${w}::bytea is null then null else now() end)`);
  if (w !== null) {
    await db.query(sql`insert into wallet_totals (wallet, total) values (${w}, ${amount.toString()}::numeric)
      on conflict (wallet) do update set total = wallet_totals.total + excluded.total`);
  }
}

/** A sealed epoch allocating `amounts` (viewer -> amount), added to the leaderboard totals as the worker does. */
async function sealAllocations(db: DatabaseHandle, epoch: number, amounts: Record<string, bigint>) {
  await db.query(sql`insert into epochs (epoch, length_seconds) values (${epoch}::bigint, 3600)`);
  for (const [viewer, amount] of Object.entries(amounts)) {
    await db.query(sql`insert into allocations (epoch, channel_id, viewer, points, amount)
      values (${epoch}::bigint, 1, ${viewer}, 0, ${amount.toString()}::numeric)`);
  }
  await db.query(sql`update epochs set status = 'sealed' where epoch = ${epoch}::bigint`);
  await addSealedEpochsToLeaderboard(db);
}

describe.each(backends)('eligibility on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  const { server, client } = useTestServer(db);
  beforeEach(async () => {
    await db().query(sql`insert into users (user_id, login) values (11, 'alice'), (22, 'bob'), (33, 'carol')`);
    await credit(db(), '11', 3600, 100n, 1);
    await credit(db(), '22', 3600, 300n, 2);
    await storeRoot(db(), {
      seq: 1n,
      amounts: new Map([
        [1, 100n],
        [2, 300n],
      ]),
      publishSlot: 9n,
    });
    await server().deps.trees.refresh();
    // After the root: more credit for alice (bound) and waiting credit for carol (unbound).
    await credit(db(), '11', 7200, 50n, 1);
    await credit(db(), '33', 7200, 20n, null);
    // What sealed epochs allocated (the rank's measure): bob 300, alice 150, carol 20.
    await sealAllocations(db(), 3600, { '11': 100n, '22': 300n });
    await sealAllocations(db(), 7200, { '11': 50n, '33': 20n });
  });

  it('by login and by user id: totals, pending and rank, never a wallet', async () => {
    const alice = await client().eligibility.viewer.query({ login: 'Alice' });
    expect(alice).toMatchObject({ userId: '11', login: 'alice', rootSeq: '1', validAsOfSlot: '9', rank: 2 });
    expect(alice.total).toEqual({ gross: '150', net: null });
    expect(alice.pending).toEqual({ gross: '50', net: null });
    const body = JSON.stringify(alice);
    expect(body).not.toContain(wallet(1).base58);
    expect(body).not.toMatch(/wallet/i);

    const carol = await client().eligibility.viewer.query({ userId: '33' });
    expect(carol).toMatchObject({ total: { gross: '20' }, pending: { gross: '20' }, rank: 3 });
    const viaRest = await fetch(`${server().url}/v1/eligibility/viewer?login=bob`);
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toMatchObject({ userId: '22', rank: 1, pending: { gross: '0' } });
  });

  it('rank is the leaderboard rank; a viewer not on the leaderboard ranks after everyone on it', async () => {
    for (const login of ['alice', 'bob', 'carol']) {
      const { rank } = await client().leaderboard.rank.query({ login });
      expect((await client().eligibility.viewer.query({ login })).rank).toBe(rank);
    }
    await db().query(sql`insert into users (user_id, login) values (44, 'dave')`);
    expect(await client().eligibility.viewer.query({ login: 'dave' })).toMatchObject({
      total: { gross: '0' },
      rank: 4,
    });
    await db().query(sql`insert into suppressions (user_id) values (22)`);
    expect((await client().eligibility.viewer.query({ login: 'bob' })).rank).toBe(3);
    expect((await client().eligibility.viewer.query({ login: 'alice' })).rank).toBe(1);
    expect((await client().eligibility.viewer.query({ login: 'dave' })).rank).toBe(3);
  });

  it('viewer errors: unknown login 404, neither or both 400, malformed login 400', async () => {
    await expect(client().eligibility.viewer.query({ login: 'nobody' })).rejects.toThrow('no viewer with login nobody');
    await expect(client().eligibility.viewer.query({})).rejects.toThrow('exactly one');
    await expect(client().eligibility.viewer.query({ login: 'alice', userId: '11' })).rejects.toThrow('exactly one');
    expect((await fetch(`${server().url}/v1/eligibility/viewer?login=bad%20login`)).status).toBe(400);
    expect((await fetch(`${server().url}/v1/eligibility/viewer?userId=99`)).status).toBe(404);
  });

  it('by wallet: total, pending beyond the newest root; claimed unknown without a chain', async () => {
    const answer = await client().eligibility.wallet.query({ wallet: wallet(1).base58 });
    expect(answer).toMatchObject({
      wallet: wallet(1).base58,
      rootSeq: '1',
      total: { gross: '150' },
      pending: { gross: '50' },
      claimed: null,
      claimableNow: null,
    });
    const viaRest = await fetch(`${server().url}/v1/eligibility/wallet/${wallet(2).base58}`);
    expect(await viaRest.json()).toMatchObject({ total: { gross: '300' }, pending: { gross: '0' } });
    const unknown = await client().eligibility.wallet.query({ wallet: wallet(9).base58 });
    expect(unknown.total.gross).toBe('0');
    expect((await fetch(`${server().url}/v1/eligibility/wallet/0OIl`)).status).toBe(400);
  });
});
