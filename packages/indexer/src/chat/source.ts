// The contract between a chat source (live Twitch IRC, a replay file) and the collector that spools its events.
import type { ChatEvent } from './event.js';
import { emptySkipCounts, type SkipReason } from './normalize-result.js';

/**
 * Receives normalized events in delivery order. The collector appends them to its durable spool here; the source
 * calls it with one batch at a time and waits for the returned promise before the next call.
 */
export type ChatSink = (events: ChatEvent[]) => void | Promise<void>;

/** A chat source: starts delivering to a sink, stops cleanly, and reports counters. */
export interface ChatSource {
  /** Starts delivering to `sink`. Resolves once the source runs (connected, or playing), not when it ends. */
  start(sink: ChatSink): Promise<void>;
  /** Stops: closes connections and timers, delivers what was already normalized, then resolves. Never rejects. */
  stop(): Promise<void>;
  /** A snapshot of the counters. */
  stats(): ChatSourceStats;
}

/** Counters of a chat source (a snapshot: a new object on every call). */
export interface ChatSourceStats {
  /** Connections open now (a replay source has none). */
  connections: number;
  /** Channels joined now by the connections that deliver (a replay source: 0). */
  joinedChannels: number;
  /** Raw lines received or read. */
  lines: number;
  /** Lines that are not IRC at all (unparsable, binary frames, replay lines with a bad timestamp). */
  malformedLines: number;
  /** Events handed to the sink (and accepted by it). */
  events: number;
  /** Events normalized but not yet accepted by the sink. */
  pendingEvents: number;
  /** Lines that produced no event, per reason. */
  skips: Record<SkipReason, number>;
  /** Exceptions the chat client library threw while handling input, caught and isolated. */
  clientErrors: number;
  /** Clients replaced make-before-break (after a RECONNECT, or after the client threw). */
  restarts: number;
  /** Reconnect attempts after a connection dropped. */
  reconnects: number;
  /** Sink calls that failed (the batch is retried). */
  sinkErrors: number;
  /** Events given up on: the pending buffer overflowed while the sink failed, or the sink failed at stop. */
  droppedEvents: number;
}

/** A zeroed stats object. */
export function emptySourceStats(): ChatSourceStats {
  return {
    connections: 0,
    joinedChannels: 0,
    lines: 0,
    malformedLines: 0,
    events: 0,
    pendingEvents: 0,
    skips: emptySkipCounts(),
    clientErrors: 0,
    restarts: 0,
    reconnects: 0,
    sinkErrors: 0,
    droppedEvents: 0,
  };
}

/** The logger a source writes to: a subset of pino's, so a pino logger fits. */
export interface ChatLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: ChatLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Options every chat source takes. */
export interface ChatSourceOptions {
  /** Known bots and opt-outs by numeric user id: their events are dropped before they reach the sink. */
  isExcluded?: (userId: string) => boolean;
  /** Recent event ids remembered for deduplication, per connection group (default 20,000). */
  dedupeWindow?: number;
  logger?: ChatLogger;
}
