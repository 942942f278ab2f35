// One client factory: PostgreSQL when a URL is given, embedded PGlite (in a data folder, or in memory) otherwise.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.js';

/** The drizzle database, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database: drizzle for typed queries, `query` for raw SQL returning plain rows on either driver. */
export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: 'postgres' | 'pglite';
  /** Runs raw SQL and returns its rows (the drivers shape results differently; this does not). */
  query<Row = Record<string, unknown>>(statement: SQL): Promise<Row[]>;
  /** Runs `work` in one transaction, with the same raw-SQL `query` bound to it. */
  transaction<T>(work: (query: RawQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Raw SQL returning plain rows. */
export type RawQuery = <Row = Record<string, unknown>>(statement: SQL) => Promise<Row[]>;

export interface DatabaseOptions {
  /** A PostgreSQL URL; without it the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite's data folder; omitted means in memory (tests). */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  maxConnections?: number;
}

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Opens the database and applies pending migrations. A failed migration is an error that says so: the process must
 * not run against a schema it does not know.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.maxConnections ?? 10)
    : await openPglite(options.dataDir);
  if (options.migrate !== false) {
    try {
      await handle.migrate();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw new Error(`database migration failed (${handle.kind}): ${(error as Error).message}`, { cause: error });
    }
  }
  return handle;
}

function openPostgres(url: string, max: number): DatabaseHandle & { migrate(): Promise<void> } {
  const client = postgres(url, { max, onnotice: () => undefined });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  const rows = async <Row>(result: Promise<unknown>) => (await result) as Row[];
  return {
    db,
    kind: 'postgres',
    query: (statement) => rows(db.execute(statement)),
    transaction: (work) => db.transaction((tx) => work((statement) => rows(tx.execute(statement)))),
    async migrate() {
      // Roles may start together: one migrates while the others wait on the lock.
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(7426001)`;
        await migratePostgres(drizzlePostgres(client), { migrationsFolder });
      } finally {
        await lock`select pg_advisory_unlock(7426001)`;
        lock.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir?: string): Promise<DatabaseHandle & { migrate(): Promise<void> }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  await client.waitReady;
  const db = drizzlePglite(client, { schema });
  const rows = async <Row>(result: Promise<unknown>) => ((await result) as { rows: Row[] }).rows;
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    query: (statement) => rows(db.execute(statement)),
    transaction: (work) => db.transaction((tx) => work((statement) => rows(tx.execute(statement)))),
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

/** A PostgreSQL array literal of plain values (numbers, bigints, UUIDs), for `unnest($1::type[])` bulk statements. */
export function pgArray(values: readonly (string | number | bigint | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
}

export { sql };
