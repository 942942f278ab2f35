// Whose credit a viewer key is: a decimal user id is that user; `legacy:<hash>` is the user it was joined to at their
// first login, or nobody yet (its credit waits, and its offsets apply to its own credit).
import { fromHex } from '@attention-oracle/core';
import { type RawQuery, sql } from '@attention-oracle/db';
import { parseViewer } from './inputs-internal.js';

/**
 * The user a viewer key belongs to: the user id itself, or the user a legacy login hash was joined to (null while it
 * is not joined).
 *
 * @example await userOfViewer(db.query, 'legacy:3d69...') // 123n once joined, else null
 */
export async function userOfViewer(query: RawQuery, viewer: string): Promise<bigint | null> {
  const parsed = parseViewer(viewer);
  if (parsed.userId !== null) return parsed.userId;
  const [row] = await query<{ user_id: string | null }>(sql`
    select user_id::text as user_id from legacy_identities where login_hash = ${fromHex(viewer.slice(7))}`);
  return row?.user_id == null ? null : BigInt(row.user_id);
}

/**
 * Every viewer key whose credit is the user's: the user id, then the legacy login hashes joined to it.
 *
 * @example await viewersOfUser(db.query, 123n) // ['123', 'legacy:3d69...']
 */
export async function viewersOfUser(query: RawQuery, userId: bigint): Promise<string[]> {
  const rows = await query<{ viewer: string }>(sql`
    select 'legacy:' || encode(login_hash, 'hex') as viewer from legacy_identities
    where user_id = ${userId.toString()}::bigint order by login_hash`);
  return [userId.toString(), ...rows.map((r) => r.viewer)];
}
