// Every transaction that writes the ledger (credits, bindings, corrections, joins, paid imports) takes one
// transaction-scoped advisory lock first, so they apply one at a time in a single order on any number of processes.
import { type RawQuery, sql } from '@attention-oracle/db';

/** The advisory lock key of the ledger (migrations use 7426001). */
export const LEDGER_LOCK_KEY = 7_426_002;

/**
 * Takes the ledger lock for the rest of the current transaction (released at commit or rollback). Call it as the
 * first statement of every ledger-writing transaction.
 *
 * @example await db.transaction(async (query) => { await lockLedger(query); ... });
 */
export async function lockLedger(query: RawQuery): Promise<void> {
  await query(sql`select pg_advisory_xact_lock(${LEDGER_LOCK_KEY}::bigint)`);
}
