// The workers that need the chain: tree-build on its own cadence (after crediting the ledger and checking the
// treasury), root-publish in merkle mode, chain-watch of the program's events, and claim-reconcile in direct mode.
import type { TreeBuilder } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import { type ChainContext, directSettlementNote } from './chain-context.js';
import { type JobQueue, jobId, jobIdFor, timeBucket } from './jobs/index.js';
import { checkTreasuryCoverage, creditSealedEpochs } from './ledger/index.js';
import {
  chainWatchJob,
  markUnpublishable,
  pendingPublishes,
  type RootJobContext,
  rootPublishJob,
  treeBuildJob,
} from './roots/index.js';
import { claimReconcileHandler } from './settlement/index.js';

export interface ChainWorkerOptions {
  readonly chain: ChainContext;
  /** The root cadence (ROOT_INTERVAL_SECONDS), independent of the epoch length. */
  readonly rootIntervalMs: number;
  /** How often chain-watch (merkle) or claim-reconcile (direct) runs. Default 30 s. */
  readonly watchIntervalMs?: number;
  readonly builder?: TreeBuilder;
  readonly log?: (message: string, details?: Record<string, unknown>) => void;
}

/**
 * Registers the chain jobs on `queue` and schedules them. In direct mode roots are still built (proofs are served)
 * but never published: a published root would let wallets claim through the program as well.
 *
 * @example startChainWorkers(db, queue, { chain: await resolveChainContext(env, { publisher: true }), rootIntervalMs: 3_600_000 });
 */
export function startChainWorkers(db: DatabaseHandle, queue: JobQueue, options: ChainWorkerOptions): void {
  const { chain, rootIntervalMs } = options;
  const watchMs = options.watchIntervalMs ?? 30_000;
  const context: RootJobContext = { ...chain, db, builder: options.builder };
  const merkle = chain.settlement === 'merkle';

  queue.work('tree-build', async () => {
    await creditSealedEpochs(db, { actor: 'worker' });
    const coverage = await checkTreasuryCoverage(db, {
      client: chain.client,
      treasury: chain.treasury,
      settlement: chain.settlement,
    });
    if (!coverage.ok) options.log?.(coverage.message, { alarm: 'treasury-coverage' });
    const result = await treeBuildJob(context);
    if (result.skipped !== null || result.rootId === null || result.seq === null) return result;
    if (merkle) {
      await queue.add('root-publish', jobId.publish(BigInt(result.seq), result.rootId), { rootId: result.rootId });
    } else {
      await markUnpublishable(db.query, chain.mint.toBytes(), directSettlementNote(chain));
    }
    return result;
  });
  queue.every('schedule-roots', rootIntervalMs, async () => {
    const bucket = timeBucket(Date.now(), rootIntervalMs);
    await queue.add('tree-build', jobId.treeBuild(bucket), {});
    if (!merkle) return;
    // Roots built but not yet on chain, awaiting an external signature, or stopped by an alarm are looked at again.
    for (const root of await pendingPublishes(db.query, chain.mint)) {
      await queue.add('root-publish', jobIdFor('root-publish', root.seq.toString(), root.id, bucket), {
        rootId: root.id,
      });
    }
  });

  if (merkle) {
    queue.work('root-publish', ({ rootId }) => rootPublishJob(context, rootId));
    queue.work('chain-watch', () => chainWatchJob(context));
    queue.every('schedule-chain-watch', watchMs, async () => {
      await queue.add('chain-watch', jobId.chainWatch(timeBucket(Date.now(), watchMs)), {});
    });
  } else {
    queue.work('claim-reconcile', claimReconcileHandler(db, chain.client, { log: options.log }));
    queue.every('schedule-claim-reconcile', watchMs, async () => {
      await queue.add('claim-reconcile', jobId.reconcile(timeBucket(Date.now(), watchMs)), {});
    });
  }
}
