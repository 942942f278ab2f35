// The proof cache notices new roots by polling the roots table.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, storeRoot, testEnv, wallet } from '../helpers.js';

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate roots, root_blobs`);
}

describe.each(backends)('proof cache polling on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(db(), testEnv({ ROOTS_POLL_MS: '20' }));
  });
  afterAll(() => server.close());

  it('serves a root stored after start without an explicit refresh', async () => {
    const path = `${server.url}/v1/proofs/1/${wallet(1).base58}`;
    expect((await fetch(path)).status).toBe(404);
    await storeRoot(db(), { seq: 1n, amounts: new Map([[1, 5n]]) });
    await vi.waitFor(async () => expect((await fetch(path)).status).toBe(200), { timeout: 10_000, interval: 20 });
    expect(server.deps.trees.list().map((root) => root.record.seq)).toEqual([1n]);
  });
});
