// A collector: a chat source feeding the durable spool, a flusher draining it into the database, and a heartbeat.
import type { DatabaseHandle } from '@attention-oracle/db';
import { learnChannelIds } from '../channels/channels.js';
import type { ChatEvent } from '../chat/event.js';
import type { ChatSource } from '../chat/source.js';
import { Flusher, type FlusherStats } from './flusher.js';
import { writeHeartbeat } from './heartbeat.js';
import { Spool } from './spool.js';

export interface CollectorOptions {
  collectorId: string;
  spoolDir: string;
  db: DatabaseHandle;
  epochSeconds: number;
  /**
   * 'receive' for live chat (the watermark is when events were received); 'event' for a backfill replay that delivers
   * old events in time order (the watermark is their own time, so epochs seal as the replay passes them).
   */
  watermarkClock: 'receive' | 'event';
  heartbeatMs?: number;
  batchSize?: number;
  /** Number of channels this collector reads, for the heartbeat. */
  channels?: () => number;
  /** Called once events are durable in the spool: from then on they count as received. */
  onAccepted?: (events: readonly ChatEvent[]) => void;
  onError?: (error: Error) => void;
}

export interface Collector {
  /** Events durably spooled by this process (`received`), the flusher's counters and the spool backlog. */
  stats(): FlusherStats & { received: number; backlog: number };
  /** Waits until everything received so far is in the database. */
  drain(timeoutMs?: number): Promise<void>;
  /**
   * Stops the source (spooling what it hands over), drains what it can, and marks the collector stopped if its spool
   * is empty (it then holds no epoch back); otherwise it stays live, holding back the epochs of what it still spools.
   */
  stop(): Promise<void>;
}

/** Starts a collector on `source`. A crash loses nothing acknowledged: the next start replays the spool. */
export async function startCollector(source: ChatSource, options: CollectorOptions): Promise<Collector> {
  const { db, collectorId, heartbeatMs = 5000 } = options;
  const spool = await Spool.open(options.spoolDir);
  const startedAt = new Date();
  const flusher = new Flusher(spool, db, {
    epochSeconds: options.epochSeconds,
    batchSize: options.batchSize,
    onError: options.onError,
  });
  let stopping = false; // stop() was called
  let stopped = false; // the source has stopped: nothing more is accepted
  let lastBeat = 0;
  let received = 0; // events durably appended to the spool since startedAt
  const roomIds = new Map<string, string>(); // channel login -> room id, as learned from chat

  const beat = async (status: 'live' | 'stopped') => {
    lastBeat = Date.now();
    // Nothing in flight: everything received until now is stored (for the receive clock).
    const idle = spool.backlog === 0 && options.watermarkClock === 'receive';
    const flushedThrough = idle ? Date.now() : flusher.stats.watermark;
    await writeHeartbeat(db, {
      collectorId,
      flushedThrough,
      startedAt,
      channels: options.channels?.() ?? 0,
      spoolBacklog: spool.backlog,
      status,
      eventsReceived: received,
      eventsFlushed: flusher.stats.flushed,
      eventsLate: flusher.stats.late,
    });
  };
  const beatSafely = () => beat('live').catch((error) => options.onError?.(error as Error));
  await beatSafely();
  const timer = setInterval(() => void beatSafely(), heartbeatMs);
  timer.unref();

  flusher.start();
  await source.start(async (events) => {
    if (stopped) throw new Error(`collector ${collectorId} is stopping: ${events.length} events not accepted`);
    if (events.length === 0) return;
    const now = Date.now();
    await spool.append(
      events.map((event) => ({ event, watermark: options.watermarkClock === 'receive' ? now : event.sentAt })),
    );
    received += events.length;
    options.onAccepted?.(events);
    flusher.poke();
    const learned = new Map<string, string>();
    for (const e of events) {
      if (e.channelLogin && roomIds.get(e.channelLogin) !== e.channelId) learned.set(e.channelLogin, e.channelId);
    }
    if (learned.size > 0) {
      for (const [login, id] of learned) roomIds.set(login, id);
      learnChannelIds(db, learned).catch((error) => {
        for (const login of learned.keys()) roomIds.delete(login); // retried with the channel's next event
        options.onError?.(error as Error);
      });
    }
    if (!stopping && Date.now() - lastBeat > heartbeatMs) void beatSafely();
  });

  return {
    stats: () => ({ ...flusher.stats, received, backlog: spool.backlog }),
    drain: async (timeoutMs) => {
      await flusher.drain(timeoutMs);
      await beatSafely();
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      // The source hands over what it already read while it stops: received from Twitch, so spooled, not refused.
      await source.stop();
      stopped = true;
      try {
        await flusher.drain(10_000);
      } catch (error) {
        options.onError?.(error as Error); // the spool keeps the rest for the next start
      }
      await flusher.stop();
      // Only an empty spool is a clean stop; events left in it keep holding their epochs back until the next start.
      await beat(spool.backlog === 0 ? 'stopped' : 'live').catch((error) => options.onError?.(error as Error));
      await spool.close();
    },
  };
}
