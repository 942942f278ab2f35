// Live chat cannot be paused, so events are buffered and handed to the sink one batch at a time, in order. A failing
// sink is retried with backoff while the buffer (bounded) keeps filling; what overflows is counted, never hidden.
import type { ChatEvent } from './event.js';
import { sleep } from './sleep-internal.js';
import type { ChatLogger, ChatSink, ChatSourceStats } from './source.js';

/** Options for {@link EventDelivery}. */
export interface EventDeliveryOptions {
  sink: ChatSink;
  /** Updated in place: events, pendingEvents, sinkErrors, droppedEvents. */
  stats: ChatSourceStats;
  logger: ChatLogger;
  /** Largest batch handed to the sink (default 1,000). */
  maxBatch?: number;
  /** Events buffered at most while the sink is slow or failing (default 200,000). */
  maxPending?: number;
  /** First retry delay after a sink failure, doubling up to 30 s (default 500 ms). */
  retryMs?: number;
}

/** Serial, batching, retrying delivery of events to a sink. */
export class EventDelivery {
  readonly #options: EventDeliveryOptions;
  readonly #chunks: ChatEvent[][] = [];
  readonly #closing = new AbortController();
  #pump: Promise<void> = Promise.resolve();
  #running = false;
  #droppedLoggedAt = 0;

  constructor(options: EventDeliveryOptions) {
    this.#options = options;
  }

  /** Queues `events` for the sink (dropped and counted when the buffer is full). */
  push(events: ChatEvent[]): void {
    if (events.length === 0) return;
    const { stats, maxPending = 200_000 } = this.#options;
    if (this.#closing.signal.aborted || stats.pendingEvents + events.length > maxPending) {
      stats.droppedEvents += events.length;
      // At chat rates this happens per frame: log at most every 10 s, with the running total.
      if (Date.now() - this.#droppedLoggedAt > 10_000) {
        this.#droppedLoggedAt = Date.now();
        this.#options.logger.error(
          { dropped: stats.droppedEvents, pending: stats.pendingEvents },
          'chat events dropped',
        );
      }
      return;
    }
    this.#chunks.push(events);
    stats.pendingEvents += events.length;
    if (!this.#running) this.#pump = this.#run();
  }

  /** Stops retrying, makes one last attempt to deliver what is pending, and counts the rest as dropped. */
  async close(): Promise<void> {
    this.#closing.abort();
    // A pump asleep between retries wakes up for one last attempt; whatever it could not deliver is dropped.
    await this.#pump;
    const { stats } = this.#options;
    if (stats.pendingEvents > 0) {
      this.#options.logger.error({ dropped: stats.pendingEvents }, 'chat events not delivered at stop');
      stats.droppedEvents += stats.pendingEvents;
      stats.pendingEvents = 0;
      this.#chunks.length = 0;
    }
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      await this.#drain();
    } finally {
      this.#running = false;
    }
  }

  async #drain(): Promise<void> {
    const { sink, stats, logger, maxBatch = 1000 } = this.#options;
    let retryMs = this.#options.retryMs ?? 500;
    while (this.#chunks.length > 0) {
      const batch = this.#take(maxBatch);
      try {
        await sink(batch);
        stats.events += batch.length;
        stats.pendingEvents -= batch.length;
        retryMs = this.#options.retryMs ?? 500;
      } catch (error) {
        stats.sinkErrors++;
        this.#chunks.unshift(batch);
        logger.error({ err: error, batch: batch.length, retryMs }, 'chat sink failed');
        if (this.#closing.signal.aborted) return;
        await sleep(retryMs, this.#closing.signal);
        retryMs = Math.min(30_000, retryMs * 2);
      }
    }
  }

  #take(max: number): ChatEvent[] {
    const first = this.#chunks.shift() ?? [];
    if (first.length >= max) {
      if (first.length > max) this.#chunks.unshift(first.slice(max));
      return first.length > max ? first.slice(0, max) : first;
    }
    const batch = [...first];
    while (this.#chunks.length > 0 && batch.length + (this.#chunks[0]?.length ?? 0) <= max) {
      batch.push(...(this.#chunks.shift() ?? []));
    }
    return batch;
  }
}
