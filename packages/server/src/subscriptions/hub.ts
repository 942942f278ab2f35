// One poller for every subscriber of a server: it reads new published roots and newly sealed epochs on one interval
// (only while someone listens) and hands them to the listeners, so subscribers never each poll the database.
import type { DatabaseHandle } from '@attention-oracle/db';
import type { Logger } from '../logger.js';
import {
  allocationsOf,
  type EpochAllocations,
  newestPublishedSeq,
  newestSealedEpoch,
  PAGE,
  type PublishedRoot,
  publishedAfter,
  sealedAfter,
} from './feeds.js';

/** A listener's side of the hub: what the poller found since it registered, in order. */
export interface Feed<T> {
  /** The next item, or null once the feed is closed (by the listener, its signal or the hub). */
  next(): Promise<T | null>;
  /** Unregisters the listener; a pending next() resolves null. */
  close(): void;
}

/** The shared poller of one server. */
export interface SubscriptionHub {
  /**
   * Registers a listener of newly published roots of the served mint. Resolves once the poller knows where it
   * stands, so anything the listener then reads from the database itself and what the feed brings leave no gap.
   */
  roots(signal?: AbortSignal): Promise<Feed<PublishedRoot>>;
  /** Registers a listener of `userId`'s allocations in newly sealed epochs (same guarantee as roots). */
  allocations(userId: string, signal?: AbortSignal): Promise<Feed<EpochAllocations>>;
  /** Polls now (the timer polls every `pollMs` while anyone listens). */
  poll(): Promise<void>;
  /** Listeners now: of roots, and of viewers' allocations. */
  size(): { readonly roots: number; readonly viewers: number };
  /** Stops polling and ends every feed; later registrations get closed feeds. */
  close(): void;
}

/** What the hub reads and how often. */
export interface SubscriptionHubOptions {
  readonly db: DatabaseHandle;
  /** The served mint; without one no root is ever announced. */
  readonly mint: Uint8Array | null;
  readonly pollMs: number;
  readonly logger: Logger;
}

class Listener<T> implements Feed<T> {
  private readonly queue: T[] = [];
  private waiting: ((item: T | null) => void) | null = null;
  private ended = false;

  constructor(private readonly onClose: (listener: Listener<T>) => void) {}

  push(item: T): void {
    if (this.ended) return;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting !== null) waiting(item);
    else this.queue.push(item);
  }

  next(): Promise<T | null> {
    const item = this.queue.shift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.waiting?.(null);
    this.waiting = null;
    this.onClose(this);
  }
}

/**
 * Creates a hub; it polls only while it has listeners.
 *
 * @example const hub = createSubscriptionHub({ db, mint, pollMs: 5000, logger }); const feed = await hub.roots(signal);
 */
export function createSubscriptionHub(options: SubscriptionHubOptions): SubscriptionHub {
  const { db, mint, logger } = options;
  const rootListeners = new Set<Listener<PublishedRoot>>();
  const viewerListeners = new Map<string, Set<Listener<EpochAllocations>>>();
  // Where the poller stands: the newest published seq and sealed epoch it has handed out (null: not read yet).
  let rootCursor: bigint | null = null;
  let epochCursor: number | null = null;
  let rootStart: Promise<void> | null = null;
  let epochStart: Promise<void> | null = null;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const listening = () => rootListeners.size > 0 || viewerListeners.size > 0;
  const schedule = () => {
    if (closed || timer !== null || !listening()) return;
    timer = setTimeout(() => {
      timer = null;
      poll()
        .catch((error: unknown) => logger.error({ err: error }, 'subscriptions: poll failed'))
        .finally(schedule);
    }, options.pollMs);
    timer.unref();
  };

  const startRoots = () => {
    rootStart ??= (mint === null ? Promise.resolve(-1n) : newestPublishedSeq(db, mint)).then(
      (seq) => {
        rootCursor = seq;
      },
      (error: unknown) => {
        rootStart = null;
        throw error;
      },
    );
    return rootStart;
  };
  const startEpochs = () => {
    epochStart ??= newestSealedEpoch(db).then(
      (epoch) => {
        epochCursor = epoch;
      },
      (error: unknown) => {
        epochStart = null;
        throw error;
      },
    );
    return epochStart;
  };

  const pollRoots = async () => {
    await startRoots();
    if (mint === null || rootCursor === null) return;
    for (;;) {
      const page = await publishedAfter(db, mint, rootCursor);
      for (const root of page) {
        for (const listener of rootListeners) listener.push(root);
        rootCursor = root.seq;
      }
      if (page.length < PAGE) return;
    }
  };
  const pollEpochs = async () => {
    await startEpochs();
    if (epochCursor === null) return;
    for (;;) {
      const epochs = await sealedAfter(db, epochCursor);
      const found = await allocationsOf(db, epochs, [...viewerListeners.keys()]);
      for (const entry of found) {
        for (const listener of viewerListeners.get(entry.userId) ?? []) listener.push(entry);
      }
      const last = epochs.at(-1);
      if (last !== undefined) epochCursor = last;
      if (epochs.length < PAGE) return;
    }
  };
  const poll = () => {
    running ??= (async () => {
      if (rootListeners.size > 0) await pollRoots();
      if (viewerListeners.size > 0) await pollEpochs();
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const register = async <T>(
    add: (listener: Listener<T>) => void,
    remove: (listener: Listener<T>) => void,
    start: () => Promise<void>,
    signal: AbortSignal | undefined,
  ): Promise<Feed<T>> => {
    const listener = new Listener<T>(remove);
    if (closed || signal?.aborted) {
      listener.close();
      return listener;
    }
    add(listener);
    signal?.addEventListener('abort', () => listener.close(), { once: true });
    try {
      await start();
    } catch (error) {
      listener.close();
      throw error;
    }
    schedule();
    return listener;
  };

  return {
    roots: (signal) =>
      register<PublishedRoot>(
        (listener) => rootListeners.add(listener),
        (listener) => {
          rootListeners.delete(listener);
          // Nobody listens: forget the cursor, so the next listener starts from what is current then.
          if (rootListeners.size === 0) {
            rootCursor = null;
            rootStart = null;
          }
        },
        startRoots,
        signal,
      ),
    allocations: (userId, signal) =>
      register<EpochAllocations>(
        (listener) => {
          const set = viewerListeners.get(userId) ?? new Set();
          set.add(listener);
          viewerListeners.set(userId, set);
        },
        (listener) => {
          const set = viewerListeners.get(userId);
          set?.delete(listener);
          if (set?.size === 0) viewerListeners.delete(userId);
          if (viewerListeners.size === 0) {
            epochCursor = null;
            epochStart = null;
          }
        },
        startEpochs,
        signal,
      ),
    poll,
    size: () => ({
      roots: rootListeners.size,
      viewers: [...viewerListeners.values()].reduce((sum, set) => sum + set.size, 0),
    }),
    close: () => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      for (const listener of [...rootListeners]) listener.close();
      for (const set of [...viewerListeners.values()]) for (const listener of [...set]) listener.close();
    },
  };
}
