// One queue's worker inside the database queue: polls for ready jobs, runs up to `concurrency` at once, renews each
// running job's lease, and records the outcome under the claim's token.
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@attention-oracle/db';
import type { QueueName } from './contracts.js';
import {
  type ClaimedJob,
  claimJob,
  completeJob,
  failLostJobs,
  recordFailure,
  renewLease,
} from './db-statements-internal.js';
import { isNonRetryable } from './errors.js';
import { errorMessage, runHandler } from './execution-internal.js';
import { type JobHandler, type JobLogger, retryDelayMs } from './queue.js';
import { settleWithin } from './wait-internal.js';

/** What a worker needs from its queue. */
export interface DbWorkerSettings<Q extends QueueName> {
  db: DatabaseHandle;
  queue: Q;
  handler: JobHandler<Q>;
  concurrency: number;
  workerId: string;
  leaseMs: number;
  pollMs: number;
  backoffMs: number;
  logger: JobLogger;
}

interface Running {
  done: Promise<void>;
  controller: AbortController;
  renewal: NodeJS.Timeout;
}

/** Started on construction; `stop` ends it. */
export class DbWorker<Q extends QueueName> {
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(private readonly settings: DbWorkerSettings<Q>) {
    this.loop = this.poll();
  }

  /** Polls now rather than after the pause (a job was added, or a slot freed). */
  poke(): void {
    this.wake?.();
  }

  /** Stops claiming, waits up to `timeoutMs` for running jobs, then abandons the rest to lease expiry. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    this.poke();
    await this.loop;
    const running = [...this.running.values()];
    if (
      await settleWithin(
        running.map((job) => job.done),
        timeoutMs,
      )
    )
      return;
    const ids = [...this.running.keys()];
    for (const job of this.running.values()) {
      // No more renewals: the lease lapses and another worker takes the job, as after a crash.
      clearInterval(job.renewal);
      job.controller.abort(new Error('job queue closed before the job finished'));
    }
    this.settings.logger.warn({ queue: this.settings.queue, ids }, 'jobs still running at close; left to lease expiry');
  }

  private async poll(): Promise<void> {
    const { db, queue, concurrency, leaseMs, pollMs, workerId, logger } = this.settings;
    while (!this.stopping) {
      try {
        const lost = await failLostJobs(db, queue);
        if (lost.length > 0) logger.error({ queue, ids: lost }, 'jobs failed: worker lost on the last attempt');
        while (!this.stopping && this.running.size < concurrency) {
          const token = `${workerId}/${randomUUID()}`;
          const job = await claimJob(db, queue, token, leaseMs);
          if (!job) break;
          this.start(job, token);
        }
      } catch (err) {
        logger.error({ err, queue }, 'job poll failed');
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private start(job: ClaimedJob, token: string): void {
    const { db, leaseMs, logger, queue } = this.settings;
    const controller = new AbortController();
    const renewal = setInterval(() => {
      renewLease(db, job.id, token, leaseMs).then(
        (held) => {
          if (held || controller.signal.aborted) return;
          logger.warn({ queue, id: job.id }, 'job lease lost: another worker may run it; aborting this run');
          controller.abort(new Error('job lease lost'));
        },
        (err: unknown) => logger.error({ err, queue, id: job.id }, 'job lease renewal failed'),
      );
    }, leaseMs / 3);
    const done = this.execute(job, token, controller.signal)
      .catch((err: unknown) => logger.error({ err, queue, id: job.id }, 'recording the job outcome failed'))
      .finally(() => {
        clearInterval(renewal);
        this.running.delete(job.id);
        this.poke();
      });
    this.running.set(job.id, { done, controller, renewal });
  }

  private async execute(job: ClaimedJob, token: string, signal: AbortSignal): Promise<void> {
    const { db, queue, handler, backoffMs, logger } = this.settings;
    const context = { id: job.id, attempt: job.attempts, signal };
    let result: unknown;
    try {
      result = await runHandler(queue, job.data, handler, context);
    } catch (err) {
      const final = isNonRetryable(err) || job.attempts >= job.max_attempts;
      const retryInMs = final ? null : retryDelayMs(backoffMs, job.attempts);
      const log = { err, queue, id: job.id, attempt: job.attempts, maxAttempts: job.max_attempts, retryInMs };
      if (final) logger.error(log, 'job failed');
      else logger.warn(log, 'job attempt failed; retrying');
      if (!(await recordFailure(db, job.id, token, errorMessage(err), retryInMs))) {
        logger.warn({ queue, id: job.id }, 'job failure not recorded: its lease was lost to another worker');
      }
      return;
    }
    if (await completeJob(db, job.id, token, result)) {
      logger.debug({ queue, id: job.id, attempt: job.attempts }, 'job completed');
    } else {
      logger.warn({ queue, id: job.id }, 'job result not recorded: its lease was lost to another worker');
    }
  }
}
