import { createHash } from 'node:crypto';
import { base58Decode, InvalidArgumentError } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { describe, expect, it } from 'vitest';
import {
  API_KEY_SCOPES,
  createApiKey,
  createFirstAdminKey,
  listApiKeys,
  revokeApiKey,
  verifyApiKey,
} from '../../src/admin/index.js';
import { backends, useLedgerDatabase } from '../ledger/fixtures.js';

describe.each(backends)('API keys on %s', (_, open) => {
  const db = useLedgerDatabase(open);

  it('creates a key shown once, stored only as its sha256, and verifies it', async () => {
    const created = await createApiKey(db(), {
      name: 'dashboard',
      scopes: ['read', 'claims', 'read'],
      actor: 'cli:alice',
    });
    expect(created.key).toMatch(/^ao_[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    expect(base58Decode(created.key.slice(3))).toHaveLength(32);
    expect(created.prefix).toBe(created.key.slice(0, 12));

    const [row] = await db().query<{ hash: string; scopes: unknown }>(
      sql`select encode(hash, 'hex') as hash, array_to_string(scopes, ',') as scopes from api_keys`,
    );
    expect(row).toEqual({ hash: createHash('sha256').update(created.key).digest('hex'), scopes: 'read,claims' });
    const everything = JSON.stringify(await db().query(sql`select row_to_json(k)::text as r from api_keys k`));
    const audit = JSON.stringify(await db().query(sql`select * from audit_log`));
    const secret = created.key.slice(12); // the part the prefix does not show
    for (const text of [everything, audit]) expect(text).not.toContain(secret);

    expect(await verifyApiKey(db().query, created.key)).toEqual({
      id: created.id,
      name: 'dashboard',
      scopes: ['read', 'claims'],
    });
    const [used] = await db().query(sql`select last_used_at is not null as used from api_keys`);
    expect(used).toEqual({ used: true });
    expect(
      await verifyApiKey(db().query, `${created.key.slice(0, -1)}${created.key.endsWith('2') ? '3' : '2'}`),
    ).toBeNull();
    expect(await verifyApiKey(db().query, 'not a key')).toBeNull();
    expect(await verifyApiKey(db().query, '')).toBeNull();
  });

  it('lists keys without secrets or hashes, and revokes by id or prefix', async () => {
    const a = await createApiKey(db(), { name: 'a', scopes: ['read'], actor: 'cli' });
    const b = await createApiKey(db(), { name: 'b', scopes: ['roots', 'channels'], actor: 'cli' });
    expect(await revokeApiKey(db(), { key: a.id, actor: 'cli:alice' })).toBe(true);
    expect(await revokeApiKey(db(), { key: a.id, actor: 'cli:alice' })).toBe(false);
    expect(await revokeApiKey(db(), { key: b.prefix, actor: 'cli:alice' })).toBe(true);
    expect(await verifyApiKey(db().query, a.key)).toBeNull();
    expect(await verifyApiKey(db().query, b.key)).toBeNull();
    const listed = await listApiKeys(db().query);
    expect(listed.map((k) => [k.id, k.name, k.prefix, k.scopes, k.createdBy, k.revokedAt instanceof Date])).toEqual([
      [a.id, 'a', a.prefix, ['read'], 'cli', true],
      [b.id, 'b', b.prefix, ['roots', 'channels'], 'cli', true],
    ]);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
      ['createdAt', 'createdBy', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes'].sort(),
    );
    const actions = await db().query(sql`select action, subject from audit_log order by id`);
    expect(actions).toEqual([
      { action: 'api-key.created', subject: a.prefix },
      { action: 'api-key.created', subject: b.prefix },
      { action: 'api-key.revoked', subject: a.prefix },
      { action: 'api-key.revoked', subject: b.prefix },
    ]);
  });

  it('creates the first admin key only while no unrevoked admin key exists', async () => {
    await createApiKey(db(), { name: 'reader', scopes: ['read'], actor: 'cli' });
    const first = await createFirstAdminKey(db(), 'cli:root');
    expect(await verifyApiKey(db().query, first.key)).toMatchObject({ scopes: ['admin'] });
    await expect(createFirstAdminKey(db(), 'cli:root')).rejects.toThrow(
      `an admin API key already exists (${first.prefix}...): create further keys with an existing admin key`,
    );
    await revokeApiKey(db(), { key: first.prefix, actor: 'cli:root' });
    const again = await Promise.allSettled([createFirstAdminKey(db(), 'a'), createFirstAdminKey(db(), 'b')]);
    expect(again.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('refuses unknown scopes, empty scope lists and bad names', async () => {
    const create = (input: Partial<Parameters<typeof createApiKey>[1]>) =>
      createApiKey(db(), { name: 'k', scopes: ['read'], actor: 'cli', ...input });
    await expect(create({ scopes: ['root'] })).rejects.toThrow(
      `unknown API key scope "root": expected one of ${API_KEY_SCOPES.join(', ')}`,
    );
    await expect(create({ scopes: [] })).rejects.toThrow('an API key needs at least one scope');
    await expect(create({ name: '' })).rejects.toThrow(InvalidArgumentError);
    await expect(create({ name: 'x'.repeat(101) })).rejects.toThrow('API key name must be 1-100 characters');
    await expect(revokeApiKey(db(), { key: 0, actor: 'cli' })).rejects.toThrow('revoke needs a key id or prefix');
    expect(await listApiKeys(db().query)).toEqual([]);
  });
});
