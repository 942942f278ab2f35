// Admin authentication over HTTP: 401 without a key or with a bad or revoked one, 403 without the scope ('admin'
// implies every scope), 429 with Retry-After after repeated bad keys from one address, and the OpenAPI security.
import { revokeApiKey } from '@attention-oracle/indexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { BAD_KEY_LIMIT } from '../../src/admin/procedure.js';
import type { RunningServer } from '../../src/server.js';
import { codeOf, startTestServer } from '../helpers.js';
import { adminClient, auditRows, keyFor, resetAdminTables } from './fixtures.js';

/** A well-formed key that was never issued. */
const UNKNOWN_KEY = `ao_${'1'.repeat(43)}`;

describe.each(backends)('admin authentication on %s', (_name, open) => {
  const db = useDatabase(open, resetAdminTables);
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());
  const rest = (path: string, authorization?: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(authorization === undefined ? {} : { authorization }), 'content-type': 'application/json' },
    });

  it('answers 401 without a key, with an unknown or malformed one, and with a revoked one', async () => {
    expect(await codeOf(adminClient(server.url).admin.channels.list.query({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(adminClient(server.url, UNKNOWN_KEY).admin.channels.list.query({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(adminClient(server.url, undefined, 'Basic YTpi').admin.channels.list.query({}))).toBe(
      'UNAUTHORIZED',
    );
    const key = await keyFor(db(), 'ops', ['admin']);
    expect(await adminClient(server.url, key).admin.channels.list.query({})).toEqual({ channels: [] });
    await revokeApiKey(db(), { key: key.slice(0, 12), actor: 'test' });
    expect(await codeOf(adminClient(server.url, key).admin.channels.list.query({}))).toBe('UNAUTHORIZED');

    const missing = await rest('/v1/admin/channels');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await missing.json()) as { message: string }).message).toBe(
      'an API key is required: send the header Authorization: Bearer <key>',
    );
    const revoked = await rest('/v1/admin/channels', `Bearer ${key}`);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { message: string }).message).toBe(
      'the API key is unknown or revoked (send Authorization: Bearer <key>)',
    );
  });

  it('answers 403 when the key lacks the scope, and lets admin keys call everything', async () => {
    const reader = adminClient(server.url, await keyFor(db(), 'dashboard', ['read']));
    const channels = adminClient(server.url, await keyFor(db(), 'channel ops', ['channels']));
    const admin = adminClient(server.url, await keyFor(db(), 'root', ['admin']));
    expect(await reader.admin.channels.list.query({})).toEqual({ channels: [] });
    expect(await codeOf(reader.admin.channels.enable.mutate({ logins: ['alpha'] }))).toBe('FORBIDDEN');
    expect(await codeOf(reader.admin.apiKeys.list.query())).toBe('FORBIDDEN');
    expect(await codeOf(channels.admin.roots.build.mutate())).toBe('FORBIDDEN');
    expect(await codeOf(channels.admin.corrections.add.mutate({ viewer: '1', amount: '5', reason: 'x' }))).toBe(
      'FORBIDDEN',
    );
    expect(await channels.admin.channels.enable.mutate({ logins: ['alpha'] })).toEqual({ enabled: ['alpha'] });
    expect(await admin.admin.channels.disable.mutate({ login: 'alpha' })).toEqual({ login: 'alpha', enabled: false });
    expect((await admin.admin.apiKeys.list.query()).keys).toHaveLength(3);

    const res = await rest('/v1/admin/channels/enable', `Bearer ${await keyFor(db(), 'r2', ['read'])}`, {
      method: 'POST',
      body: JSON.stringify({ logins: ['beta'] }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe(
      'API key "r2" lacks the scope for this call: it needs channels or admin, it has read',
    );
    // Refused calls change nothing and audit nothing.
    expect((await auditRows(db())).filter((r) => r.actor.startsWith('api-key:'))).toEqual([
      { actor: 'api-key:channel ops', action: 'channels.enable', subject: 'alpha' },
      { actor: 'api-key:root', action: 'channels.disable', subject: 'alpha' },
    ]);
  });

  it('answers 429 with Retry-After once an address sent too many bad keys, valid keys aside', async () => {
    const own = await startTestServer(db()); // a limiter of its own, so the other tests keep their budget
    try {
      const good = await keyFor(db(), 'ops', ['read']);
      const statuses: number[] = [];
      for (let i = 0; i < BAD_KEY_LIMIT.capacity; i++) {
        statuses.push(
          (await fetch(`${own.url}/v1/admin/channels`, { headers: { authorization: `Bearer ${UNKNOWN_KEY}` } })).status,
        );
        // Requests without any key are not guesses: they never use up the budget.
        statuses.push((await fetch(`${own.url}/v1/admin/channels`)).status);
        // Nor do valid keys.
        expect((await adminClient(own.url, good).admin.channels.list.query({})).channels).toEqual([]);
      }
      expect(statuses.every((s) => s === 401)).toBe(true);
      // The budget refills at 20 a minute, so at most a few more bad keys pass before the limit answers.
      let limited: Response | undefined;
      for (let i = 0; i < 10 && limited === undefined; i++) {
        const res = await fetch(`${own.url}/v1/admin/channels`, {
          headers: { authorization: `Bearer ${UNKNOWN_KEY}` },
        });
        if (res.status === 429) limited = res;
        else expect(res.status).toBe(401);
      }
      if (limited === undefined) throw new Error('no 429 after the bad-key budget was used up');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await limited.json()) as { message: string }).message).toMatch(
        /^too many bad API key requests; retry in \d+ s$/,
      );
      expect(await codeOf(adminClient(own.url, UNKNOWN_KEY).admin.roots.list.query({}))).toBe('TOO_MANY_REQUESTS');
      // A valid key from the same address still works.
      expect((await adminClient(own.url, good).admin.channels.list.query({})).channels).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('documents every admin route in /openapi.json as bearer-protected under /v1/admin', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown; tags?: string[]; responses: object }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.components.securitySchemes).toEqual({ Authorization: { type: 'http', scheme: 'bearer' } });
    const admin = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/admin/'));
    const operations = admin.flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => [`${m} ${path}`, op] as const),
    );
    expect(operations.map(([name]) => name).sort()).toEqual([
      'delete /v1/admin/bots/{userId}',
      'delete /v1/admin/suppressions/{userId}',
      'get /v1/admin/api-keys',
      'get /v1/admin/audit',
      'get /v1/admin/bots',
      'get /v1/admin/channels',
      'get /v1/admin/claims',
      'get /v1/admin/claims/wallet/{wallet}/audit',
      'get /v1/admin/claims/wallet/{wallet}/chain',
      'get /v1/admin/claims/{id}',
      'get /v1/admin/corrections',
      'get /v1/admin/roots',
      'get /v1/admin/suppressions',
      'post /v1/admin/api-keys',
      'post /v1/admin/api-keys/revoke',
      'post /v1/admin/bots',
      'post /v1/admin/channels/disable',
      'post /v1/admin/channels/enable',
      'post /v1/admin/corrections',
      'post /v1/admin/roots/build',
      'post /v1/admin/roots/publish',
      'post /v1/admin/suppressions',
    ]);
    for (const [name, op] of operations) {
      expect(op.security, name).toEqual([{ Authorization: [] }]);
      expect(op.tags, name).toEqual(['admin']);
      expect(Object.keys(op.responses), name).toEqual(expect.arrayContaining(['200', '401', '403', '429']));
    }
  });
});
