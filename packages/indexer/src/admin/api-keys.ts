// Admin API keys: `ao_` + 32 random bytes in base58, shown once at creation and stored only as their sha256.
import { createHash, randomBytes } from 'node:crypto';
import { base58Encode, InvalidArgumentError } from '@attention-oracle/core';
import { type DatabaseHandle, pgArray, type RawQuery, sql } from '@attention-oracle/db';

/** What a key may do. */
export const API_KEY_SCOPES = ['admin', 'channels', 'roots', 'claims', 'read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A key as the database knows it: never the secret, never its hash. */
export interface ApiKeyInfo {
  readonly id: number;
  readonly name: string;
  /** The key's first 12 characters, to tell keys apart. */
  readonly prefix: string;
  readonly scopes: ApiKeyScope[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** A key that verified: who it is and what it may do. */
export interface VerifiedApiKey {
  readonly id: number;
  readonly name: string;
  readonly scopes: ApiKeyScope[];
}

/** A newly created key: `key` is the secret, returned this once and stored nowhere. */
export interface CreatedApiKey {
  readonly id: number;
  readonly key: string;
  readonly prefix: string;
}

/** Input of {@link createApiKey}. */
export interface CreateApiKeyInput {
  /** 1-100 characters, for lists and logs. */
  readonly name: string;
  readonly scopes: readonly string[];
  readonly actor: string;
}

const PREFIX_LENGTH = 12;
const KEY = /^ao_[1-9A-HJ-NP-Za-km-z]{32,44}$/;
/** The advisory lock that makes "no admin key exists yet" and creating the first one a single step. */
const API_KEYS_LOCK_KEY = 7_426_004;

const hashOf = (key: string) => new Uint8Array(createHash('sha256').update(key).digest());

function requireText(value: string, what: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    throw new InvalidArgumentError(`${what} must be 1-${max} characters, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireScopes(scopes: readonly string[]): ApiKeyScope[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new InvalidArgumentError(`an API key needs at least one scope of ${API_KEY_SCOPES.join(', ')}`);
  }
  for (const scope of scopes) {
    if (!(API_KEY_SCOPES as readonly string[]).includes(scope)) {
      throw new InvalidArgumentError(
        `unknown API key scope ${JSON.stringify(scope)}: expected one of ${API_KEY_SCOPES.join(', ')}`,
      );
    }
  }
  return [...new Set(scopes as ApiKeyScope[])];
}

async function insertKey(query: RawQuery, name: string, scopes: ApiKeyScope[], actor: string): Promise<CreatedApiKey> {
  const key = `ao_${base58Encode(randomBytes(32))}`;
  const prefix = key.slice(0, PREFIX_LENGTH);
  const [row] = await query<{ id: string }>(sql`
    insert into api_keys (name, prefix, hash, scopes, created_by)
    values (${name}, ${prefix}, ${hashOf(key)}, ${pgArray(scopes)}::text[], ${actor})
    returning id::text as id`);
  const id = Number(row?.id);
  const details = JSON.stringify({ id, name, prefix, scopes });
  await query(sql`insert into audit_log (actor, action, subject, details)
    values (${actor}, 'api-key.created', ${prefix}, ${details}::jsonb)`);
  return { id, key, prefix };
}

/**
 * Creates a key with `scopes` (each one of {@link API_KEY_SCOPES}). The returned `key` is the only copy of the secret.
 *
 * @example const { key } = await createApiKey(db, { name: 'dashboard', scopes: ['read'], actor: 'cli:alice' });
 */
export async function createApiKey(db: DatabaseHandle, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const name = requireText(input.name, 'API key name', 100);
  const scopes = requireScopes(input.scopes);
  const actor = requireText(input.actor, 'actor', 200);
  return db.transaction((query) => insertKey(query, name, scopes, actor));
}

/**
 * Creates the first admin key (scope 'admin'), refusing when an unrevoked admin key exists: later keys are made with
 * an admin key through the API.
 *
 * @example const { key } = await createFirstAdminKey(db, 'cli');
 */
export async function createFirstAdminKey(db: DatabaseHandle, actor: string): Promise<CreatedApiKey> {
  requireText(actor, 'actor', 200);
  return db.transaction(async (query) => {
    await query(sql`select pg_advisory_xact_lock(${API_KEYS_LOCK_KEY}::bigint)`);
    const [admin] = await query<{ prefix: string }>(sql`
      select prefix from api_keys where revoked_at is null and 'admin' = any(scopes) order by id limit 1`);
    if (admin !== undefined) {
      throw new InvalidArgumentError(
        `an admin API key already exists (${admin.prefix}...): create further keys with an existing admin key, or revoke it first`,
      );
    }
    return insertKey(query, 'first admin', ['admin'], actor);
  });
}

/**
 * The key's id, name and scopes, or null for an unknown or revoked key (or anything that is not a key). Records the
 * use in last_used_at. The lookup is by sha256 of the key, so no comparison of secrets happens here.
 *
 * @example const caller = await verifyApiKey(db.query, header); if (!caller?.scopes.includes('admin')) deny();
 */
export async function verifyApiKey(query: RawQuery, key: string): Promise<VerifiedApiKey | null> {
  if (typeof key !== 'string' || !KEY.test(key)) return null;
  const [row] = await query<{ id: string; name: string; scopes: string[] | string }>(sql`
    update api_keys set last_used_at = now() where hash = ${hashOf(key)} and revoked_at is null
    returning id::text as id, name, scopes`);
  if (row === undefined) return null;
  return { id: Number(row.id), name: row.name, scopes: scopesOf(row.scopes) };
}

/**
 * Revokes the key with this id or prefix; returns false when there is no such unrevoked key.
 *
 * @example await revokeApiKey(db, { key: 'ao_4f8Zk2Qw9', actor: 'cli:alice' });
 */
export async function revokeApiKey(
  db: DatabaseHandle,
  input: { key: number | string; actor: string },
): Promise<boolean> {
  const actor = requireText(input.actor, 'actor', 200);
  const { key } = input;
  const byId = typeof key === 'number';
  if (byId ? !Number.isSafeInteger(key) || key < 1 : typeof key !== 'string' || key.length === 0) {
    throw new InvalidArgumentError(`revoke needs a key id or prefix, got ${JSON.stringify(key)}`);
  }
  return db.transaction(async (query) => {
    const rows = await query<{ id: string; prefix: string }>(sql`
      update api_keys set revoked_at = now()
      where revoked_at is null and ${byId ? sql`id = ${key}::bigint` : sql`prefix = ${key}`}
      returning id::text as id, prefix`);
    const row = rows[0];
    if (row === undefined) return false;
    const details = JSON.stringify({ id: Number(row.id), prefix: row.prefix });
    await query(sql`insert into audit_log (actor, action, subject, details)
      values (${actor}, 'api-key.revoked', ${row.prefix}, ${details}::jsonb)`);
    return true;
  });
}

/**
 * Every key, oldest first, revoked ones included: never a secret or a hash.
 *
 * @example for (const k of await listApiKeys(db.query)) console.log(k.prefix, k.scopes.join(','), k.revokedAt ?? 'active');
 */
export async function listApiKeys(query: RawQuery): Promise<ApiKeyInfo[]> {
  const rows = await query<{
    id: string;
    name: string;
    prefix: string;
    scopes: string[] | string;
    created_by: string;
    created_at: Date | string;
    last_used_at: Date | string | null;
    revoked_at: Date | string | null;
  }>(sql`select id::text as id, name, prefix, scopes, created_by, created_at, last_used_at, revoked_at
    from api_keys order by id`);
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    prefix: r.prefix,
    scopes: scopesOf(r.scopes),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    lastUsedAt: date(r.last_used_at),
    revokedAt: date(r.revoked_at),
  }));
}

/** A text[] as either driver returns it (an array, or PostgreSQL's `{a,b}` text). */
function scopesOf(value: string[] | string): ApiKeyScope[] {
  const list = Array.isArray(value)
    ? value
    : value
        .replace(/^\{|\}$/g, '')
        .split(',')
        .filter(Boolean);
  return list as ApiKeyScope[];
}
