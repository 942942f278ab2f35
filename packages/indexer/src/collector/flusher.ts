// Moves spooled events into the database in batches, in order, retrying with backoff while the database is away.
import type { DatabaseHandle } from '@attention-oracle/db';
import type { Spool, SpoolPosition } from './spool.js';
import { storeEvents } from './store-events.js';

export interface FlusherOptions {
  epochSeconds: number;
  /** Events per database round trip. */
  batchSize?: number;
  /** Pause when the spool is empty. */
  idleMs?: number;
  /** Longest pause between retries while the database fails. */
  maxBackoffMs?: number;
  onFlushed?: (batch: { events: number; inserted: number; late: number; watermark: number }) => void;
  onError?: (error: Error) => void;
}

/** Counters of a flusher since it started. */
export interface FlusherStats {
  flushed: number;
  inserted: number;
  late: number;
  damaged: number;
  errors: number;
  /** Watermark of the last flushed event (the collector's clock), 0 before the first. */
  watermark: number;
}

/** Runs until stopped; `drain()` returns once everything spooled so far is in the database. */
export class Flusher {
  readonly stats: FlusherStats = { flushed: 0, inserted: 0, late: 0, damaged: 0, errors: 0, watermark: 0 };
  private position: SpoolPosition;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly spool: Spool,
    private readonly db: DatabaseHandle,
    private readonly options: FlusherOptions,
  ) {
    this.position = spool.checkpoint;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop now instead of after its idle pause (new events were appended). */
  poke(): void {
    this.wake?.();
  }

  /** Flushes until the spool's backlog is empty, or throws after `timeoutMs`. */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.spool.backlog > 0) {
      if (Date.now() > deadline)
        throw new Error(`spool still holds ${this.spool.backlog} events after ${timeoutMs} ms`);
      this.poke();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    await this.loop;
  }

  private async run() {
    const { batchSize = 5000, idleMs = 100, maxBackoffMs = 5000 } = this.options;
    let backoff = 100;
    while (this.running) {
      try {
        const batch = await this.spool.read(this.position, batchSize);
        const count = batch.events.length + batch.damaged;
        if (count === 0) {
          await this.pause(idleMs);
          continue;
        }
        const stored = await storeEvents(
          this.db,
          batch.events.map((e) => e.event),
          this.options.epochSeconds,
        );
        await this.spool.commit(batch.next, count);
        this.position = batch.next;
        const watermark = batch.events[batch.events.length - 1]?.watermark ?? this.stats.watermark;
        Object.assign(this.stats, {
          flushed: this.stats.flushed + batch.events.length,
          inserted: this.stats.inserted + stored.inserted,
          late: this.stats.late + stored.late,
          damaged: this.stats.damaged + batch.damaged,
          watermark: Math.max(this.stats.watermark, watermark),
        });
        this.options.onFlushed?.({ events: batch.events.length, ...stored, watermark });
        backoff = 100;
      } catch (error) {
        this.stats.errors++;
        this.options.onError?.(error as Error);
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
  }

  private pause(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
