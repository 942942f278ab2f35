// Test support: throwaway PostgreSQL databases on the local server, and in-memory PGlite.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase } from './client.js';

/** The server tests use; CI and developer machines run one on 127.0.0.1 with trust auth. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated PostgreSQL database; `drop()` closes and removes it. */
export async function createTestPostgres(): Promise<{ url: string; handle: DatabaseHandle; drop(): Promise<void> }> {
  const name = `ao_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString() });
  return {
    url: url.toString(),
    handle,
    async drop() {
      await handle.close();
      const cleanup = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => undefined });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** A migrated in-memory PGlite database. */
export const createTestPglite = () => openDatabase();

/** An opened test database and how to get rid of it. */
export type TestDatabase = { handle: DatabaseHandle; drop(): Promise<void> };

/** Every backend the SQL must work on, for `describe.each`: embedded PGlite and the local PostgreSQL. */
export const TEST_BACKENDS: [name: string, open: () => Promise<TestDatabase>][] = [
  [
    'pglite',
    async () => {
      const handle = await createTestPglite();
      return { handle, drop: () => handle.close() };
    },
  ],
  ['postgres', createTestPostgres],
];
