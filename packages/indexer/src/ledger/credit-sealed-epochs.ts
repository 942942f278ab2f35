// The ledger-credit job's work: every sealed epoch not yet credited, in epoch order.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { creditEpoch } from './credit-epoch.js';
import { requireActor } from './inputs-internal.js';

/** Options of {@link creditSealedEpochs}. */
export interface CreditOptions {
  /** Who credits, for the audit log (default 'ledger'). */
  readonly actor?: string;
  /** Called after each epoch with epochs done and the number found to credit. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What {@link creditSealedEpochs} credited. */
export interface CreditResult {
  /** Epochs credited by this call (an epoch another process credited first is not counted). */
  readonly epochs: number;
  /** Credited to bound wallets. */
  readonly credited: bigint;
  /** Credited to viewers without a wallet yet. */
  readonly waiting: bigint;
}

/**
 * Credits every sealed epoch that is not in credited_epochs yet, oldest first, one transaction per epoch (see
 * {@link creditEpoch}). Idempotent, and safe to run from several processes at once: the ledger lock serializes them
 * and an epoch is credited once.
 *
 * @example const { epochs, credited, waiting } = await creditSealedEpochs(db, { onProgress: (d, t) => bar.update(d, t) });
 */
export async function creditSealedEpochs(db: DatabaseHandle, options: CreditOptions = {}): Promise<CreditResult> {
  const actor = requireActor(options.actor ?? 'ledger');
  const pending = await db.query<{ epoch: string }>(sql`
    select e.epoch::text as epoch from epochs e
    where e.status = 'sealed' and not exists (select 1 from credited_epochs c where c.epoch = e.epoch)
    order by e.epoch`);
  let epochs = 0;
  let credited = 0n;
  let waiting = 0n;
  for (const [index, row] of pending.entries()) {
    const credit = await creditEpoch(db, Number(row.epoch), actor);
    if (credit !== null) {
      epochs += 1;
      credited += credit.credited;
      waiting += credit.waiting;
    }
    options.onProgress?.(index + 1, pending.length);
  }
  return { epochs, credited, waiting };
}
