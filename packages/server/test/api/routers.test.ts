// The routers over HTTP, through @trpc/client and over REST, on both database backends (no chain).
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { TRPCClientError } from '@trpc/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { addChannels, backends, heartbeat, insertEvents, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import type { AppRouter } from '../../src/routers/app.js';
import { ALLOWED_ORIGIN, MINT, storeRoot, useTestServer, wallet } from '../helpers.js';

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate chat_events, epochs, collector_heartbeats, channels, roots, root_blobs, alarms`);
}

/** Everything a response body must never contain. */
function expectNoLeak(text: string) {
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(text).not.toMatch(/stack/i);
  expect(text).not.toMatch(/\bselect\b.*\bfrom\b/i);
}

describe.each(backends)('routers on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  const { server, client } = useTestServer(db);
  beforeEach(async () => {
    await server().deps.trees.refresh();
  });
  const rest = (path: string, init?: RequestInit) => fetch(`${server().url}${path}`, init);

  it('health.live answers over tRPC and REST', async () => {
    expect(await client().health.live.query()).toEqual({ live: true });
    const res = await rest('/v1/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ live: true });
  });

  it('health.ready fails with reasons, then passes once collectors and chat are live (chain aside)', async () => {
    const before = await client().health.ready.query();
    expect(before.ready).toBe(false);
    expect(before.checks).toEqual({ database: true, chain: false, collectors: false, chat: false });
    expect(before.reasons).toContain('no chain configured');
    expect(before.reasons.some((r) => r.startsWith('no collector'))).toBe(true);
    expect(before.reasons.some((r) => r.startsWith('no chat event'))).toBe(true);

    const now = Date.now();
    const epoch = Math.floor(now / 1000 / 3600) * 3600;
    await heartbeat(db(), 'c1', now, now);
    await addChannels(db(), [1]);
    await insertEvents(db(), [{ id: 1, kind: 'message', epoch, at: now - epoch * 1000 - 1000 }]);
    const after = await client().health.ready.query();
    expect(after.checks).toEqual({ database: true, chain: false, collectors: true, chat: true });
    expect(after.reasons).toEqual(['no chain configured']);
  });

  it('health.ready ignores chat on disabled channels and stopped collectors', async () => {
    const now = Date.now();
    const epoch = Math.floor(now / 1000 / 3600) * 3600;
    await heartbeat(db(), 'c1', now, now, 'stopped');
    await addChannels(db(), [], [2]);
    await insertEvents(db(), [{ id: 2, kind: 'message', channel: 2, epoch, at: now - epoch * 1000 - 1000 }]);
    const ready = await client().health.ready.query();
    expect(ready.checks.collectors).toBe(false);
    expect(ready.checks.chat).toBe(false);
  });

  it('epochs.list and epochs.get return stored epochs; an unknown epoch is a 404', async () => {
    const hash = new Uint8Array(32).fill(0xab);
    await db().query(sql`insert into epochs (epoch, length_seconds, status, event_count, participant_count,
      allocation_count, total, input_hash, policy_id, sealed_at)
      values (3600, 3600, 'sealed', 12, 3, 3, 1500::numeric, ${hash}, 'weighted-v1', now()),
             (7200, 3600, 'open', null, null, null, null, null, null, null)`);
    const list = await client().epochs.list.query({ limit: 10 });
    expect(list.epochs.map((e) => e.epoch)).toEqual([7200, 3600]);
    const sealed = await client().epochs.get.query({ epoch: 3600 });
    expect(sealed).toMatchObject({ status: 'sealed', eventCount: 12, total: '1500', inputHash: 'ab'.repeat(32) });
    expect((await client().epochs.list.query({ limit: 10, before: 7200 })).epochs.map((e) => e.epoch)).toEqual([3600]);

    const viaRest = await rest('/v1/epochs/3600');
    expect(viaRest.status).toBe(200);
    expect(await viaRest.json()).toEqual(sealed);
    const restList = await rest('/v1/epochs?limit=1');
    expect(((await restList.json()) as { epochs: unknown[] }).epochs).toHaveLength(1);

    await expect(client().epochs.get.query({ epoch: 99 })).rejects.toThrow('epoch 99 does not exist');
    const missing = await rest('/v1/epochs/99');
    expect(missing.status).toBe(404);
    expectNoLeak(await missing.text());
  });

  it('rejects bad input with a 400 and a clear message, never a stack', async () => {
    const error = await client()
      .epochs.list.query({ limit: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.httpStatus).toBe(400);
    expect((error as TRPCClientError<AppRouter>).data).not.toHaveProperty('stack');
    const res = await rest('/v1/epochs?limit=abc');
    expect(res.status).toBe(400);
    expectNoLeak(await res.text());
    const raw = await rest('/trpc/epochs.get?input=%7Bnot-json');
    expect(raw.status).toBe(400);
    expectNoLeak(await raw.text());
  });

  it('proofs.get serves the newest root or a given seq; errors are 404/400', async () => {
    await storeRoot(db(), {
      seq: 1n,
      amounts: new Map([
        [1, 100n],
        [2, 200n],
      ]),
      publishSlot: 10n,
    });
    await storeRoot(db(), {
      seq: 2n,
      amounts: new Map([
        [1, 150n],
        [2, 200n],
        [3, 50n],
      ]),
      publishSlot: 20n,
    });
    await server().deps.trees.refresh();
    const newest = await client().proofs.get.query({ wallet: wallet(1).base58 });
    expect(newest).toMatchObject({ rootSeq: '2', amountGross: '150', amountNet: null, validAsOfSlot: '20' });
    const older = await client().proofs.get.query({ wallet: wallet(1).base58, seq: '1' });
    expect(older).toMatchObject({ rootSeq: '1', amountGross: '100', validAsOfSlot: '10' });
    const viaRest = await rest(`/v1/proofs?wallet=${wallet(3).base58}`);
    expect(viaRest.status).toBe(200);
    expect(((await viaRest.json()) as { amountGross: string }).amountGross).toBe('50');

    await expect(client().proofs.get.query({ wallet: wallet(3).base58, seq: '1' })).rejects.toThrow('has no leaf');
    await expect(client().proofs.get.query({ wallet: wallet(1).base58, seq: '9' })).rejects.toThrow('not servable');
    await expect(client().proofs.get.query({ wallet: 'not-a-wallet!' })).rejects.toThrow('base58');
    expect((await rest('/v1/proofs?wallet=0OIl')).status).toBe(400);
  });

  it('datasets.get returns the stored dataset of a root; unknown seq is a 404', async () => {
    await storeRoot(db(), { seq: 1n, amounts: new Map([[1, 100n]]) });
    const { dataset, rootSeq } = await client().datasets.get.query({ seq: '1' });
    expect(rootSeq).toBe('1');
    expect(dataset.split('\n')[0]).toMatch(/^attention-oracle-dataset v1 leaf=v4 mint=\S+ root_seq=1 count=1$/);
    expect(dataset).toContain(`${wallet(1).base58},100`);
    expect((await rest('/v1/datasets/5')).status).toBe(404);
    expect(MINT.length).toBe(32);
  });

  it('CORS: allowlisted origins get headers and preflights; others are refused', async () => {
    const ok = await rest('/v1/health/live', { headers: { origin: ALLOWED_ORIGIN } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    const other = await rest('/v1/health/live', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await rest('/trpc/health.live', { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN } });
    expect(preflight.status).toBe(204);
    const refused = await rest('/trpc/health.live', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
  });

  it('refuses bodies over the limit with a 413, gives every response a request id, 404s unknown paths', async () => {
    const big = await rest('/trpc/health.live', { method: 'POST', body: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
    const res = await rest('/v1/health/live', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect((await rest('/v1/health/live')).headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    const unknown = await rest('/nowhere');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route /nowhere' } });
  });
});
