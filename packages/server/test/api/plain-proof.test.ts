// GET /v1/proofs/<seq>/<wallet>: ETag, 304, immutable only once finalized, 404/400; the proof verifies with core.
import { globalV4LeafHash, verifyProof } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import type { ProofAnswer } from '../../src/proofs.js';
import type { RunningServer } from '../../src/server.js';
import { MINT, startTestServer, storeRoot, wallet } from '../helpers.js';

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate roots, root_blobs, alarms`);
}

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

describe.each(backends)('plain proof route on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await storeRoot(db(), {
      seq: 4n,
      amounts: new Map([
        [1, 1_000n],
        [2, 2_000n],
        [5, 7n],
      ]),
      publishSlot: 44n,
    });
    await server.deps.trees.refresh();
  });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

  it('answers byte for byte what proofs.get answers, for V4 and V5 leaves', async () => {
    await storeRoot(db(), {
      seq: 5n,
      amounts: new Map([
        [1, 1_500n],
        [3, 9n],
      ]),
      leafVersion: 'v5',
      publishSlot: 55n,
    });
    await server.deps.trees.refresh();
    for (const [seq, n] of [
      [4, 2],
      [5, 1],
      [5, 3],
    ] as const) {
      const plain = await (await get(`/v1/proofs/${seq}/${wallet(n).base58}`)).text();
      const viaProcedure = await (await get(`/v1/proofs?wallet=${wallet(n).base58}&seq=${seq}`)).json();
      expect(plain).toBe(JSON.stringify(viaProcedure));
    }
    expect(JSON.parse(await (await get(`/v1/proofs/5/${wallet(1).base58}`)).text())).toMatchObject({
      leafVersion: 'v5',
      baseYield: '500',
      attentionBonus: '1000',
    });
  });

  it('echoes the request id on every answer: a proof, a 304 and a 400', async () => {
    const path = `/v1/proofs/4/${wallet(2).base58}`;
    const ok = await get(path, { 'x-request-id': 'proof-1' });
    expect(ok.headers.get('x-request-id')).toBe('proof-1');
    const etag = ok.headers.get('etag') ?? '';
    const notModified = await get(path, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    const bad = await get(`/v1/proofs/0/${wallet(2).base58}`, { 'x-request-id': 'proof-2' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('proof-2');
  });

  it('serves a proof that verifies against the root with core', async () => {
    const res = await get(`/v1/proofs/4/${wallet(2).base58}`);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as ProofAnswer;
    expect(answer).toMatchObject({ rootSeq: '4', wallet: wallet(2).base58, amountGross: '2000', validAsOfSlot: '44' });
    const leaf = globalV4LeafHash(MINT, 4n, wallet(2).bytes, 2_000n);
    expect(verifyProof(leaf, answer.proof.map(bytes), bytes(answer.root))).toBe(true);
    // A different amount does not verify: the proof binds the amount.
    const forged = globalV4LeafHash(MINT, 4n, wallet(2).bytes, 2_001n);
    expect(verifyProof(forged, answer.proof.map(bytes), bytes(answer.root))).toBe(false);
  });

  it('sends an ETag of root and wallet, and 304 on If-None-Match', async () => {
    const first = await get(`/v1/proofs/4/${wallet(1).base58}`);
    const etag = first.headers.get('etag');
    const answer = (await first.json()) as ProofAnswer;
    expect(etag).toBe(`"${answer.root}-${wallet(1).base58}"`);
    const again = await get(`/v1/proofs/4/${wallet(1).base58}`, { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const otherWallet = await get(`/v1/proofs/4/${wallet(2).base58}`, { 'if-none-match': etag ?? '' });
    expect(otherWallet.status).toBe(200);
  });

  it('is cacheable as immutable only once the publish is finalized', async () => {
    const before = await get(`/v1/proofs/4/${wallet(1).base58}`);
    expect(before.headers.get('cache-control')).toBe('public, max-age=5');
    await db().query(sql`update roots set finalized = true where seq = 4`);
    await server.deps.trees.refresh();
    const after = await get(`/v1/proofs/4/${wallet(1).base58}`);
    expect(after.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('404s an unknown seq or wallet and 400s a malformed wallet or seq, with JSON errors', async () => {
    const unknownSeq = await get(`/v1/proofs/9/${wallet(1).base58}`);
    expect(unknownSeq.status).toBe(404);
    expect(await unknownSeq.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'root 9 is not servable' } });
    const unknownWallet = await get(`/v1/proofs/4/${wallet(3).base58}`);
    expect(unknownWallet.status).toBe(404);
    expect(((await unknownWallet.json()) as { error: { message: string } }).error.message).toContain('has no leaf');
    const badWallet = await get('/v1/proofs/4/0OIl');
    expect(badWallet.status).toBe(400);
    expect(await badWallet.json()).toEqual({
      error: { code: 'BAD_REQUEST', message: 'wallet must be a base58 address' },
    });
    expect((await get(`/v1/proofs/x/${wallet(1).base58}`)).status).toBe(400);
  });

  it('drops a root from the cache once it is no longer servable', async () => {
    await storeRoot(db(), { seq: 5n, amounts: new Map([[1, 1_500n]]) });
    await db().query(sql`update roots set status = 'superseded' where seq = 4`);
    await server.deps.trees.refresh();
    expect((await get(`/v1/proofs/4/${wallet(1).base58}`)).status).toBe(404);
    expect((await get(`/v1/proofs/5/${wallet(1).base58}`)).status).toBe(200);
  });
});
