// Shared setup of the admin suites: the tables they touch emptied per test, API keys, and tRPC clients that send one.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { type ApiKeyScope, createApiKey } from '@attention-oracle/indexer';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '../../src/routers/app.js';

/** Empties every table an admin procedure reads or writes. */
export async function resetAdminTables(db: DatabaseHandle): Promise<void> {
  await db.query(sql`truncate api_keys, audit_log, channels, chat_events, epochs, allocations, suppressions, bots,
    corrections, wallet_bindings, wallet_credits, wallet_totals, credited_epochs, claims, chain_claims, roots,
    root_blobs, alarms restart identity`);
}

/** Creates an API key named `name` with `scopes`; returns its secret. */
export async function keyFor(db: DatabaseHandle, name: string, scopes: ApiKeyScope[]): Promise<string> {
  return (await createApiKey(db, { name, scopes, actor: 'test' })).key;
}

/** A tRPC client of the server at `url` that sends `authorization` (a bearer key by default) when given. */
export function adminClient(
  url: string,
  key?: string,
  authorization = key === undefined ? undefined : `Bearer ${key}`,
) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${url}/trpc`,
        headers: authorization === undefined ? {} : { authorization },
      }),
    ],
  });
}

/** The audit rows, oldest first, without their times. */
export async function auditRows(db: DatabaseHandle) {
  return db.query<{ actor: string; action: string; subject: string | null }>(
    sql`select actor, action, subject from audit_log order by id`,
  );
}
