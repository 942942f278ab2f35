// Live Twitch chat over IRC (tmi.js 1.8.5): channels sharded over anonymous connections, new connections paced,
// events normalized from the raw lines and handed to the sink in order.
import { randomInt } from 'node:crypto';
import { InvalidArgumentError, parseLogin } from '@attention-oracle/core';
import { ConnectionGate } from './connection-gate.js';
import { EventDelivery } from './event-delivery.js';
import { NormalizeStats } from './normalize-result.js';
import {
  type ChatSink,
  type ChatSource,
  type ChatSourceOptions,
  type ChatSourceStats,
  emptySourceStats,
  silentLogger,
} from './source.js';
import { TwitchConnection, type TwitchEndpoint } from './twitch-connection.js';
import { TwitchShard } from './twitch-shard.js';

/** Twitch's IRC-over-WebSocket endpoint. */
export const TWITCH_IRC_ENDPOINT: TwitchEndpoint = { host: 'irc-ws.chat.twitch.tv', port: 443, secure: true };

/** Options for {@link TwitchChatSource}. */
export interface TwitchChatSourceOptions extends ChatSourceOptions {
  /** Channel logins to read (validated and lowercased; an invalid login is an error, never rewritten). */
  channels: readonly string[];
  /** Where to connect (default {@link TWITCH_IRC_ENDPOINT}); tests use `{ host: '127.0.0.1', port, secure: false }`. */
  endpoint?: TwitchEndpoint;
  /** A logged-in identity; anonymous (`justinfan<digits>`) by default, which is enough to read public chat. */
  identity?: { username: string; password: string };
  /** Channels per connection (default 90). */
  maxChannelsPerConnection?: number;
  /** Minimum time between opening two connections (default 2,000 ms). */
  connectionIntervalMs?: number;
  /** Time between two JOINs on one connection (default and minimum 500 ms). */
  joinIntervalMs?: number;
  /** How often a connection joins again the channels it has not joined (default 60 s). */
  rejoinIntervalMs?: number;
  /** First reconnect delay after a drop, growing 1.5x per failure up to `maxReconnectIntervalMs` (1 s, 30 s). */
  reconnectIntervalMs?: number;
  maxReconnectIntervalMs?: number;
  /** Time from opening a connection to its login before giving up on it (default 30 s). */
  connectTimeoutMs?: number;
  /** Events buffered at most while the sink is slow or failing (default 200,000). */
  maxPendingEvents?: number;
}

/** Reads live Twitch chat. */
export class TwitchChatSource implements ChatSource {
  readonly #options: TwitchChatSourceOptions;
  readonly #channels: string[];
  readonly #stats = emptySourceStats();
  readonly #normalizeStats = new NormalizeStats();
  #shards: TwitchShard[] = [];
  #delivery: EventDelivery | null = null;

  constructor(options: TwitchChatSourceOptions) {
    const { maxChannelsPerConnection = 90, joinIntervalMs = 500 } = options;
    if (!Number.isInteger(maxChannelsPerConnection) || maxChannelsPerConnection < 1) {
      throw new InvalidArgumentError(`maxChannelsPerConnection must be a positive integer`);
    }
    if (!(joinIntervalMs >= 500)) throw new InvalidArgumentError(`joinIntervalMs must be at least 500`);
    this.#options = options;
    this.#channels = [...new Set(options.channels.map((channel) => parseLogin(channel)))];
  }

  /**
   * Opens the shards' connections (paced) and resolves once each has logged in or failed its first attempt; joins,
   * and reconnects of failed connections, continue in the background (`stats()` shows them).
   */
  async start(sink: ChatSink): Promise<void> {
    if (this.#delivery !== null) throw new InvalidArgumentError('this chat source was already started');
    const options = this.#options;
    const logger = options.logger ?? silentLogger;
    const delivery = new EventDelivery({ sink, stats: this.#stats, logger, maxPending: options.maxPendingEvents });
    this.#delivery = delivery;
    const perConnection = options.maxChannelsPerConnection ?? 90;
    const joinIntervalMs = options.joinIntervalMs ?? 500;
    const gate = new ConnectionGate(options.connectionIntervalMs ?? 2000);
    const identity = options.identity ?? { username: `justinfan${randomInt(10_000, 100_000_000)}` };
    for (let first = 0; first < this.#channels.length; first += perConnection) {
      const channels = this.#channels.slice(first, first + perConnection);
      const shard = new TwitchShard({
        label: `shard-${this.#shards.length}`,
        channels,
        gate,
        stats: this.#stats,
        delivery,
        normalize: { isExcluded: options.isExcluded, dedupeWindow: options.dedupeWindow, stats: this.#normalizeStats },
        createConnection: (label, handlers) =>
          new TwitchConnection({
            label,
            channels,
            endpoint: options.endpoint ?? TWITCH_IRC_ENDPOINT,
            identity,
            joinIntervalMs,
            rejoinIntervalMs: options.rejoinIntervalMs ?? 60_000,
            connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
            handlers,
            logger,
          }),
        reconnect: {
          intervalMs: options.reconnectIntervalMs ?? 1000,
          maxIntervalMs: options.maxReconnectIntervalMs ?? 30_000,
        },
        joinTimeoutMs: channels.length * joinIntervalMs + 15_000,
        logger,
      });
      this.#shards.push(shard);
    }
    logger.info({ channels: this.#channels.length, shards: this.#shards.length }, 'twitch chat source starting');
    await Promise.all(this.#shards.map((shard) => shard.start()));
  }

  /** Closes every connection, then hands what was already normalized to the sink. Never rejects. */
  async stop(): Promise<void> {
    await Promise.all(this.#shards.map((shard) => shard.stop()));
    await this.#delivery?.close();
  }

  /** The counters, with connections and joined channels as of now. */
  stats(): ChatSourceStats {
    return {
      ...this.#stats,
      connections: this.#shards.reduce((sum, shard) => sum + shard.openConnections, 0),
      joinedChannels: this.#shards.reduce((sum, shard) => sum + shard.joinedChannels, 0),
      skips: { ...this.#normalizeStats.skips },
    };
  }
}
