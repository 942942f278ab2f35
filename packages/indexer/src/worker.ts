// The indexer's workers: job handlers for aggregation, sealing, crediting, discovery, retention and backfill (with a
// chain also roots and settlement, in chain-workers.ts), and the scheduler that enqueues them as epochs fill and end.
import type { DatabaseHandle } from '@attention-oracle/db';
import { sql } from '@attention-oracle/db';
import { type ChainWorkerOptions, startChainWorkers } from './chain-workers.js';
import { proposeChannels } from './channels/channels.js';
import { discoverChannels } from './chat/discovery.js';
import {
  addSealedEpochsToLeaderboard,
  aggregateEpoch,
  deleteExpiredEvents,
  importBackfill,
  type SealPolicy,
  sealEpoch,
} from './epochs/index.js';
import { type JobQueue, jobId, jobIdFor, NonRetryableJobError, timeBucket } from './jobs/index.js';
import { creditSealedEpochs } from './ledger/index.js';

export interface WorkerOptions {
  epochSeconds: number;
  graceSeconds: number;
  deadAfterSeconds: number;
  policy: SealPolicy;
  retentionDays: number;
  /** How often the scheduler looks for dirty and sealable epochs. */
  scheduleMs?: number;
  twitch?: { clientId: string; clientSecret: string; helixBaseUrl?: string; idBaseUrl?: string };
  discoveryLimit?: number;
  log?: (message: string, details?: Record<string, unknown>) => void;
  /** Building, publishing and settling roots; without it only the ledger is credited. */
  chain?: Omit<ChainWorkerOptions, 'log'>;
}

/** Registers every handler on `queue` and starts the scheduler. `queue.close()` stops both. */
export function startWorkers(db: DatabaseHandle, queue: JobQueue, options: WorkerOptions): void {
  const { epochSeconds } = options;
  const scheduleMs = options.scheduleMs ?? 15_000;
  const sealOptions = () => ({
    epochSeconds,
    graceSeconds: options.graceSeconds,
    deadAfterSeconds: options.deadAfterSeconds,
    policy: options.policy,
    now: Date.now(),
    actor: 'worker',
  });

  queue.work('participation-aggregate', async ({ epoch }) => {
    const result = await aggregateEpoch(db, epoch, { epochSeconds });
    return { rows: result.participants };
  });
  queue.work('epoch-seal', async ({ epoch }) => {
    const [earlier] = await db.query<{ epoch: string }>(sql`
      select epoch::text as epoch from epochs where status = 'open' and epoch < ${epoch} order by epoch limit 1`);
    // Epochs seal in order: an earlier open one goes first (the scheduler enqueues it), this one retries.
    if (earlier) throw new Error(`epoch ${epoch} waits for earlier epoch ${earlier.epoch} to seal first`);
    const result = await sealEpoch(db, epoch, sealOptions());
    if (!result.sealed)
      options.log?.(`epoch ${epoch} not sealed yet: ${result.reason}`, { waitingFor: result.waitingFor });
    else {
      await queue.add('leaderboard-totals', jobId.leaderboard(epoch), {});
      await queue.add('ledger-credit', jobId.credit(epoch), {});
    }
    return { sealed: result.sealed, inputHash: result.sealed ? result.inputHash : null };
  });
  queue.work('leaderboard-totals', async () => ({ epochs: await addSealedEpochsToLeaderboard(db) }));
  queue.work('ledger-credit', async () => {
    const result = await creditSealedEpochs(db, { actor: 'worker' });
    return { epochs: result.epochs, credited: result.credited.toString(), waiting: result.waiting.toString() };
  });
  queue.work('retention', async ({ olderThanDays }) => ({ deleted: await deleteExpiredEvents(db, { olderThanDays }) }));
  queue.work('backfill-import', async ({ file, format }) => {
    const result = await importBackfill(db, file, { epochSeconds, policy: options.policy, format, actor: 'worker' });
    return { imported: result.rows, skipped: 0 };
  });
  queue.work('channel-discovery', async ({ limit }) => {
    if (!options.twitch)
      throw new NonRetryableJobError('channel discovery needs TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET');
    return { proposed: await proposeChannels(db, await discoverChannels({ ...options.twitch, limit })) };
  });

  queue.every('schedule-epochs', scheduleMs, async () => {
    const now = Date.now();
    const bucket = timeBucket(now, scheduleMs);
    const open = await db.query<{ epoch: string; dirty: boolean }>(sql`
      select epoch::text as epoch, dirty from epochs where status = 'open' order by epoch`);
    for (const row of open.filter((r) => r.dirty)) {
      await queue.add('participation-aggregate', jobId.aggregate(Number(row.epoch), bucket), {
        epoch: Number(row.epoch),
      });
    }
    const oldest = open[0];
    if (oldest && (Number(oldest.epoch) + epochSeconds + options.graceSeconds) * 1000 <= now) {
      const epoch = Number(oldest.epoch);
      await queue.add('epoch-seal', jobIdFor('epoch-seal', epoch, bucket), { epoch });
    }
  });
  // Epochs sealed elsewhere (the CLI, a backfill) are credited and reach the leaderboard too.
  queue.every('schedule-ledger', scheduleMs, async () => {
    const bucket = `t${timeBucket(Date.now(), scheduleMs)}`;
    await queue.add('leaderboard-totals', jobId.leaderboard(bucket), {});
    await queue.add('ledger-credit', jobId.credit(bucket), {});
  });
  queue.every('schedule-retention', 3_600_000, async () => {
    await queue.add('retention', jobId.retention(timeBucket(Date.now(), 86_400_000)), {
      olderThanDays: options.retentionDays,
    });
  });
  if (options.chain) startChainWorkers(db, queue, { ...options.chain, log: options.log });
  if (options.twitch) {
    queue.every('schedule-discovery', 3_600_000, async () => {
      await queue.add('channel-discovery', jobId.discovery(timeBucket(Date.now(), 3_600_000)), {
        limit: options.discoveryLimit ?? 100,
      });
    });
  }
}
