// A group of channels served by one connection at a time. A dropped connection is reopened with backoff; a RECONNECT
// or a client that threw is replaced make-before-break: the new connection joins every channel before the old one is
// closed, and the overlap is deduplicated by event id in the shard's normalize context.
import type { ConnectionGate } from './connection-gate.js';
import type { ChatEvent } from './event.js';
import type { EventDelivery } from './event-delivery.js';
import type { IrcMessage } from './irc.js';
import { normalize } from './normalize.js';
import { createNormalizeContext, type NormalizeContext, type NormalizeContextOptions } from './normalize-context.js';
import { sleep } from './sleep-internal.js';
import type { ChatLogger, ChatSourceStats } from './source.js';
import type { TwitchConnection, TwitchConnectionHandlers } from './twitch-connection.js';

const ROOM_ID = /^[1-9][0-9]{0,19}$/;

/** What a shard needs from its source. */
export interface TwitchShardOptions {
  label: string;
  channels: readonly string[];
  gate: ConnectionGate;
  /** The source's counters, updated in place. */
  stats: ChatSourceStats;
  delivery: EventDelivery;
  /** Exclusions, dedupe window and counters for this shard's normalize context. */
  normalize: Pick<NormalizeContextOptions, 'isExcluded' | 'dedupeWindow' | 'stats'>;
  /** Opens nothing yet: builds a connection for this shard's channels reporting to `handlers`. */
  createConnection(label: string, handlers: TwitchConnectionHandlers): TwitchConnection;
  reconnect: { intervalMs: number; maxIntervalMs: number };
  /** How long a replacement may take to join every channel before it takes over anyway. */
  joinTimeoutMs: number;
  logger: ChatLogger;
}

/** One shard of a Twitch source. */
export class TwitchShard {
  readonly #options: TwitchShardOptions;
  readonly #stopping = new AbortController();
  readonly #connections = new Set<TwitchConnection>();
  /** The connection whose channels count as joined; a replacement becomes it once joined. */
  #active: TwitchConnection | null = null;
  #replacing = false;
  #reconnectPending = false;
  #failures = 0;
  #serial = 0;
  /** Resolves `start()`: the first connection logged in or failed. */
  #settle: (() => void) | null = null;
  /** Room ids by channel login, from ROOMSTATE, for lines that arrive with an empty room-id. */
  readonly #rooms = new Map<string, string>();
  /** Shared by the shard's connections, so the overlap of a replacement deduplicates. */
  readonly #context: NormalizeContext;

  constructor(options: TwitchShardOptions) {
    this.#options = options;
    this.#context = createNormalizeContext({ ...options.normalize, roomIdOf: (login) => this.#rooms.get(login) });
  }

  /**
   * Opens the first connection; resolves once it logged in, or failed (reconnects then go on in the background: a
   * collector must start even while Twitch is unreachable), or the shard stops.
   */
  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      this.#settle = resolve;
      this.#stopping.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await this.#openActive();
    await ready;
  }

  /** Closes every connection of the shard. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await Promise.all([...this.#connections].map((connection) => connection.close()));
  }

  /** Logged-in connections (the active one, and a replacement while one runs). */
  get openConnections(): number {
    return [...this.#connections].filter((connection) => connection.isReady).length;
  }

  /** Channels the active connection has joined. */
  get joinedChannels(): number {
    return this.#active?.joined.size ?? 0;
  }

  /** Replaces the active connection make-before-break; ignored while a replacement runs. */
  replace(reason: 'reconnect' | 'client-error'): void {
    if (this.#stopping.signal.aborted || this.#replacing) return;
    this.#replacing = true;
    this.#options.stats.restarts++;
    this.#options.logger.info({ shard: this.#options.label, reason }, 'replacing twitch connection');
    void this.#runReplacement().finally(() => {
      this.#replacing = false;
      // A replacement that itself tripped tmi.js while joining is replaced in turn.
      if (this.#active?.faulted) this.replace('client-error');
    });
  }

  async #openActive(): Promise<void> {
    // Checked again after the wait: a stop() that ran meanwhile has already closed the connections it knew of.
    if (!(await this.#options.gate.acquire(this.#stopping.signal)) || this.#stopping.signal.aborted) return;
    const connection = this.#create();
    this.#active = connection;
    connection.open();
  }

  async #runReplacement(): Promise<void> {
    const { gate, joinTimeoutMs, logger, label } = this.#options;
    if (!(await gate.acquire(this.#stopping.signal)) || this.#stopping.signal.aborted) return;
    const next = this.#create();
    next.open();
    const outcome = await next.waitJoined(joinTimeoutMs, this.#stopping.signal);
    if (outcome === 'aborted') return;
    if (outcome === 'closed' || !next.isReady) {
      logger.warn({ shard: label, outcome }, 'replacement twitch connection failed');
      void next.close();
      if (this.#active === null) this.#scheduleReconnect();
      return;
    }
    if (outcome === 'timeout') {
      const missing = this.#options.channels.filter((channel) => !next.joined.has(channel));
      logger.warn({ shard: label, missing }, 'replacement twitch connection takes over without every channel');
    }
    const old = this.#active;
    this.#active = next;
    if (old !== null) void old.close();
  }

  #create(): TwitchConnection {
    const label = `${this.#options.label}#${++this.#serial}`;
    // Assigned right after construction; handlers only run once the connection is opened.
    let connection: TwitchConnection | null = null;
    const handlers: TwitchConnectionHandlers = {
      frame: (messages, lines, unparsable) => this.#frame(messages, lines, unparsable),
      ready: () => {
        this.#failures = 0;
        this.#settle?.();
        this.#options.logger.info({ client: label }, 'twitch connection ready');
      },
      reconnectRequested: () => {
        if (connection === this.#active) this.replace('reconnect');
      },
      clientError: (error) => {
        this.#options.stats.clientErrors++;
        this.#options.logger.warn({ client: label, err: error }, 'tmi.js threw on input; isolated');
        if (connection === this.#active) this.replace('client-error');
      },
      closed: () => {
        if (connection !== null) this.#closed(connection);
      },
    };
    connection = this.#options.createConnection(label, handlers);
    this.#connections.add(connection);
    return connection;
  }

  #closed(connection: TwitchConnection): void {
    this.#connections.delete(connection);
    this.#settle?.();
    if (connection !== this.#active || this.#stopping.signal.aborted) return;
    this.#active = null;
    this.#options.logger.warn({ client: connection.label }, 'twitch connection dropped');
    // During a replacement the replacement takes over; otherwise reopen.
    if (!this.#replacing) this.#scheduleReconnect();
  }

  /** Reopens the active connection after a backoff that grows with consecutive failures. */
  #scheduleReconnect(): void {
    if (this.#reconnectPending || this.#stopping.signal.aborted) return;
    this.#reconnectPending = true;
    const { intervalMs, maxIntervalMs } = this.#options.reconnect;
    const delay = Math.min(maxIntervalMs, intervalMs * 1.5 ** this.#failures++);
    this.#options.stats.reconnects++;
    void sleep(delay, this.#stopping.signal).then(async (elapsed) => {
      this.#reconnectPending = false;
      if (elapsed && this.#active === null && !this.#replacing) await this.#openActive();
    });
  }

  #frame(messages: IrcMessage[], lines: number, unparsable: number): void {
    const { stats } = this.#options;
    stats.lines += lines;
    stats.malformedLines += unparsable;
    const events: ChatEvent[] = [];
    for (const message of messages) {
      if (message.command === 'ROOMSTATE') this.#learnRoom(message);
      const result = normalize(message, this.#context);
      if ('event' in result) events.push(result.event);
    }
    this.#options.delivery.push(events);
  }

  #learnRoom(message: IrcMessage): void {
    const channel = message.params[0];
    const roomId = message.tags['room-id'];
    if (!channel?.startsWith('#') || !roomId || !ROOM_ID.test(roomId)) return;
    if (!this.#options.channels.includes(channel.slice(1))) return;
    this.#rooms.set(channel.slice(1), roomId);
  }
}
