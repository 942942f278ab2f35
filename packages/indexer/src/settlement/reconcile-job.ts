// The body of the `claim-reconcile` job: one reconcile pass, its counts as the job's result.
import type { DatabaseHandle } from '@attention-oracle/db';
import type { RpcClient } from '@attention-oracle/sdk';
import type { JobHandler } from '../jobs/index.js';
import { type ReconcileOptions, reconcileClaims } from './reconcile.js';

/**
 * The `claim-reconcile` handler. It needs no signing key: a lost transaction is re-sent from its stored bytes.
 *
 * @example
 * queue.work('claim-reconcile', claimReconcileHandler(db, client, { log }));
 * queue.every('schedule-claim-reconcile', 30_000, async () => {
 *   await queue.add('claim-reconcile', jobId.reconcile(timeBucket(Date.now(), 30_000)), {});
 * });
 */
export function claimReconcileHandler(
  db: DatabaseHandle,
  client: Pick<RpcClient, 'call' | 'batch'>,
  options: ReconcileOptions = {},
): JobHandler<'claim-reconcile'> {
  return async () => reconcileClaims(db, client, options);
}
