// Our bugs (here: a database that fails with SQL in its message) become a 500 with a request id, nothing more.
import type { DatabaseHandle } from '@attention-oracle/db';
import { createTestPglite } from '@attention-oracle/db/testing';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { AppRouter } from '../../src/routers/app.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { testEnv } from '../helpers.js';

const SECRET = 'select password from secret_table';

describe('internal errors', () => {
  let real: DatabaseHandle;
  let server: RunningServer;
  beforeAll(async () => {
    real = await createTestPglite();
    const failing: DatabaseHandle = {
      ...real,
      query: async () => {
        throw new Error(`Failed query: ${SECRET}`);
      },
    };
    server = await startServer({
      db: failing,
      env: testEnv(),
      chain: null,
      mint: null,
      port: 0,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await server.close();
    await real.close();
  });

  it('tRPC answers 500 with only a request id', async () => {
    const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${server.url}/trpc` })] });
    const error = await client.epochs.list.query({}).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/^internal error \(request id [0-9a-f]{8}-[0-9a-z]+\)$/);
    const raw = await fetch(`${server.url}/trpc/epochs.list?input=%7B%7D`, { headers: { 'x-request-id': 'req-1' } });
    expect(raw.status).toBe(500);
    const text = await raw.text();
    expect(text).toContain('internal error (request id req-1)');
    expect(text).not.toContain('secret_table');
    expect(text).not.toMatch(/stack/i);
  });

  it('REST answers 500 with only a request id', async () => {
    const res = await fetch(`${server.url}/v1/epochs`, { headers: { 'x-request-id': 'req-2' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text, text).toContain('internal error (request id req-2)');
    expect(text).not.toContain('secret_table');
    expect(text).not.toMatch(/stack/i);
  });

  it('ready reports the database as unreachable instead of failing', async () => {
    const res = await fetch(`${server.url}/v1/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ready: boolean; reasons: string[] };
    expect(body.ready).toBe(false);
    expect(body.reasons).toContain('database unreachable');
    expect(JSON.stringify(body)).not.toContain('secret_table');
  });
});
