// /openapi.json lists every query and mutation as OpenAPI 3.1; /metrics counts proofs, requests, roots and alarms.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { raiseAlarm } from '@attention-oracle/indexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { appRouter } from '../../src/routers/app.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, storeRoot, wallet } from '../helpers.js';

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate roots, root_blobs, alarms`);
}

describe.each(backends)('openapi and metrics on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());

  it('/openapi.json is OpenAPI 3.1 with a path for every query and mutation', async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const procedures = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { meta?: unknown; type: string } }>,
    ).filter(([, procedure]) => procedure._def.type !== 'subscription'); // SSE only: no REST form
    expect(procedures.length).toBeGreaterThan(0);
    for (const [name, procedure] of procedures) {
      const meta = procedure._def.meta as { openapi?: { method: string; path: string } } | undefined;
      expect(meta?.openapi, `${name} has openapi meta`).toBeDefined();
      const path = (meta?.openapi?.path ?? '').replace(/\{(\w+)\}/g, '{$1}');
      expect(doc.paths[path]?.[meta?.openapi?.method.toLowerCase() ?? ''], `${name} in the document`).toBeDefined();
    }
  });

  it('/metrics counts proofs served, requests by route, roots loaded and active alarms', async () => {
    await storeRoot(db(), { seq: 1n, amounts: new Map([[1, 10n]]) });
    await server.deps.trees.refresh();
    await raiseAlarm(db().query, 'root-publish', 'publish stuck');
    await fetch(`${server.url}/v1/proofs/1/${wallet(1).base58}`);
    await fetch(`${server.url}/v1/proofs/1/${wallet(1).base58}`);
    await fetch(`${server.url}/v1/proofs?wallet=${wallet(1).base58}`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^ao_proofs_served_total\{via="http"\} 2$/m);
    expect(text).toMatch(/^ao_proofs_served_total\{via="trpc"\} 1$/m);
    expect(text).toMatch(/^ao_http_requests_total\{route="proof",status="200"\} 2$/m);
    expect(text).toMatch(/^ao_roots_loaded 1$/m);
    expect(text).toMatch(/^ao_alarms_active\{name="root-publish"\} 1$/m);
  });
});
