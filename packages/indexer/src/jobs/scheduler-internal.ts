// The `every` hook: in-process ticks that never overlap themselves, with errors logged rather than thrown.
import { InvalidArgumentError } from '@attention-oracle/core';
import type { JobLogger } from './queue.js';
import { settleWithin } from './wait-internal.js';

interface Schedule {
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
}

/** Named schedules of one queue instance. */
export class Scheduler {
  private readonly schedules = new Map<string, Schedule>();
  private stopped = false;

  constructor(private readonly logger: JobLogger) {}

  /** Runs `tick` now, then `intervalMs` after each tick started, or as soon as it ended when it ran longer. */
  every(name: string, intervalMs: number, tick: () => Promise<void>): void {
    if (this.stopped) throw new Error(`cannot schedule ${name}: the job queue is closed`);
    if (this.schedules.has(name)) throw new InvalidArgumentError(`schedule ${name} already exists`);
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new InvalidArgumentError(`schedule ${name}: intervalMs must be positive, got ${intervalMs}`);
    }
    const schedule: Schedule = { timer: undefined, running: undefined };
    const run = async (): Promise<void> => {
      schedule.timer = undefined;
      if (this.stopped) return;
      const startedAt = Date.now();
      // `then` turns a synchronous throw into a rejection, so it is logged like any other failure.
      schedule.running = Promise.resolve()
        .then(tick)
        .catch((err: unknown) => this.logger.error({ err, schedule: name }, 'scheduled tick failed'));
      await schedule.running;
      schedule.running = undefined;
      if (!this.stopped) schedule.timer = setTimeout(run, Math.max(0, intervalMs - (Date.now() - startedAt)));
    };
    this.schedules.set(name, schedule);
    schedule.timer = setTimeout(run, 0);
  }

  /** Cancels future ticks and waits up to `timeoutMs` for running ones. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const schedule of this.schedules.values()) {
      clearTimeout(schedule.timer);
      if (schedule.running) running.push(schedule.running);
    }
    if (!(await settleWithin(running, timeoutMs))) {
      this.logger.warn({ timeoutMs }, 'scheduled ticks still running at close; not waiting longer');
    }
  }
}
