// Bulk writes of a sealed epoch's allocations.
import type { Allocation } from '@attention-oracle/core';
import { pgArray, sql } from '@attention-oracle/db';
import type { Query } from './query-internal.js';
import { textArray } from './query-internal.js';

// Large enough that statement overhead vanishes, small enough that one statement's array literals stay a few MB.
const CHUNK_ROWS = 50_000;

/**
 * Inserts `allocations` for `epoch` with unnest arrays, in chunks. Policies that pay across channels (channel null)
 * are stored under channel id 0, which no Twitch channel has. (Issuing the chunks at once, pipelined, measured no
 * faster: the server's index maintenance dominates.)
 */
export async function writeAllocations(query: Query, epoch: number, allocations: readonly Allocation[]): Promise<void> {
  for (let start = 0; start < allocations.length; start += CHUNK_ROWS) {
    const chunk = allocations.slice(start, start + CHUNK_ROWS);
    await query(sql`
      insert into allocations (epoch, channel_id, viewer, points, amount)
      select ${epoch}::bigint, c, v, p, a
      from unnest(${pgArray(chunk.map((a) => a.channel ?? '0'))}::bigint[], ${textArray(chunk.map((a) => a.viewer))}::text[],
        ${pgArray(chunk.map((a) => a.points))}::numeric[], ${pgArray(chunk.map((a) => a.amount))}::numeric[]) as t(c, v, p, a)`);
  }
}
