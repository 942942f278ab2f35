// One audit_log row (who did what to which subject), with bigints written as decimal strings.
import { type RawQuery, sql } from '@attention-oracle/db';

/**
 * Appends an audit_log row; pass a transaction's query to make it part of that transaction.
 *
 * @example await audit(db.query, 'api-key:ops', 'roots.publish', '12', { signature });
 */
export async function audit(
  query: RawQuery,
  actor: string,
  action: string,
  subject: string,
  details: Record<string, unknown>,
): Promise<void> {
  const json = JSON.stringify(details, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  await query(sql`insert into audit_log (actor, action, subject, details)
    values (${actor}, ${action}, ${subject}, ${json}::jsonb)`);
}
