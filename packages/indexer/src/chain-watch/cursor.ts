// Where chain-watch resumes: the newest signature fully recorded, per watched address (table chain_cursors).
import { type RawQuery, sql } from '@attention-oracle/db';

/** A position in an address's transaction history. */
export interface ChainCursor {
  readonly signature: string;
  readonly slot: bigint;
}

/**
 * The cursor `name`, or null before the first run.
 *
 * @example const cursor = await readCursor(db.query, 'program:Gn...');
 */
export async function readCursor(query: RawQuery, name: string): Promise<ChainCursor | null> {
  const [row] = await query<{ signature: string; slot: string }>(sql`
    select signature, slot::text as slot from chain_cursors where name = ${name}`);
  return row === undefined ? null : { signature: row.signature, slot: BigInt(row.slot) };
}

/**
 * Moves cursor `name` to `cursor` (run it in the transaction that recorded everything up to it).
 *
 * @example await saveCursor(query, name, { signature, slot: 123n });
 */
export async function saveCursor(query: RawQuery, name: string, cursor: ChainCursor): Promise<void> {
  await query(sql`
    insert into chain_cursors (name, signature, slot) values (${name}, ${cursor.signature}, ${cursor.slot.toString()}::bigint)
    on conflict (name) do update set signature = excluded.signature, slot = excluded.slot, updated_at = now()`);
}
