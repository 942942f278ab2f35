// The epochs row as the lock every writer of an epoch's data takes first.
import { requireEpoch } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import type { Query } from './query-internal.js';

/** The locked state of one epoch. */
export interface LockedEpoch {
  readonly status: 'open' | 'sealed';
  readonly source: string;
}

/**
 * Locks the epochs row of `epoch` until the transaction ends, so aggregation, sealing and imports of one epoch never
 * interleave. A missing row is created as open with `source` (or, with `source` null, undefined is returned). The
 * row's length must match `epochSeconds`: a changed epoch length with epochs still open is a configuration error,
 * not something to paper over.
 */
export async function lockEpoch(
  query: Query,
  epoch: number,
  epochSeconds: number,
  source: 'chat' | 'backfill' | null = 'chat',
): Promise<LockedEpoch | undefined> {
  requireEpoch(epoch, epochSeconds);
  if (source !== null) {
    await query(sql`insert into epochs (epoch, length_seconds, source) values (${epoch}::bigint, ${epochSeconds}::int,
      ${source}) on conflict (epoch) do nothing`);
  }
  const [row] = await query<{ status: string; length: number; source: string }>(sql`
    select status, length_seconds as length, source from epochs where epoch = ${epoch}::bigint for update`);
  if (row === undefined) {
    if (source === null) return undefined;
    throw new Error(`epoch ${epoch}: the epochs row vanished while being locked`);
  }
  if (row.length !== epochSeconds) {
    throw new Error(`epoch ${epoch} has length ${row.length} s in the database, but ${epochSeconds} s is configured`);
  }
  if (row.status !== 'open' && row.status !== 'sealed') {
    throw new Error(`epoch ${epoch} has an unknown status ${JSON.stringify(row.status)}`);
  }
  return { status: row.status, source: row.source };
}
