// Which epochs a backfill seals, promo-v1 windows included.
import { epochEnd } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import type { BackfillOptions } from './backfill.js';
import { createEpochs } from './backfill-writer-internal.js';
import { ImportError } from './import-error.js';
import type { Query } from './query-internal.js';
import { planSeal } from './seal-policy.js';

/**
 * The epochs an import seals, oldest first: the imported ones and, under promo-v1 (a window pays when its last epoch
 * seals), the last epoch of each window they lie in when it has ended and has no row yet. A window whose last epoch is
 * already sealed has paid: importing into it would change a sealed payout, so that is an ImportError.
 */
export async function epochsToSeal(
  query: Query,
  file: string,
  firstLine: ReadonlyMap<number, number>,
  options: Pick<BackfillOptions, 'policy' | 'epochSeconds'> & { readonly nowMs: number },
): Promise<number[]> {
  const epochs = new Set(firstLine.keys());
  if (options.policy.id === 'promo-v1') {
    for (const [epoch, line] of firstLine) {
      const closer = planSeal(options.policy, epoch, options.epochSeconds).windowLastEpoch;
      if (epochs.has(closer)) continue;
      const [row] = await query<{ status: string }>(sql`select status from epochs where epoch = ${closer}::bigint`);
      if (row?.status === 'sealed') {
        throw new ImportError(file, line, `epoch ${epoch} lies in a promo-v1 window that epoch ${closer} already paid`);
      }
      if (row !== undefined) continue; // open: it seals with the chat epochs
      if (epochEnd(closer, options.epochSeconds) * 1000 <= options.nowMs) {
        await createEpochs(query, [closer], options.epochSeconds);
        epochs.add(closer);
      } else {
        // The window is still running: its last epoch will seal when due, like any chat epoch.
        await query(
          sql`insert into epochs (epoch, length_seconds) values (${closer}::bigint, ${options.epochSeconds}::int)`,
        );
      }
    }
  }
  return [...epochs].sort((a, b) => a - b);
}
