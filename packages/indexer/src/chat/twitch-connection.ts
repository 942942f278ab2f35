// One connection to Twitch chat: a fresh tmi.js client (never reused after its socket closes), isolated so that
// nothing it throws escapes, with our own paced JOINs. It reports frames and lifecycle to its shard and owns no policy.
import type { Client } from 'tmi.js';
import { type IrcMessage, parseIrcLine, prefixNick } from './irc.js';
import type { ChatLogger } from './source.js';
import { createTmiClient, isolateClient, sendLine, terminateSocket } from './tmi-internal.js';

/** Where to connect. */
export interface TwitchEndpoint {
  host: string;
  port: number;
  secure: boolean;
}

/** What a connection reports to its owner. */
export interface TwitchConnectionHandlers {
  /** The parsed lines of one frame (RECONNECT excluded), with the frame's line count and unparsable lines. */
  frame(messages: IrcMessage[], lines: number, unparsable: number): void;
  /** Logged in (end of MOTD). */
  ready(): void;
  /** The server asked this connection to reconnect. */
  reconnectRequested(): void;
  /** tmi.js threw while handling this connection's input; the exception was caught. */
  clientError(error: unknown): void;
  /** The socket is gone, for whatever reason; called once. */
  closed(): void;
}

/** Options for a {@link TwitchConnection}. */
export interface TwitchConnectionOptions {
  label: string;
  channels: readonly string[];
  endpoint: TwitchEndpoint;
  identity: { username: string; password?: string };
  joinIntervalMs: number;
  /** How often channels still not joined (no echo, a lost JOIN, a PART) are joined again. */
  rejoinIntervalMs: number;
  /** Time allowed from opening to the end of MOTD before the connection gives up (and reports closed). */
  connectTimeoutMs: number;
  handlers: TwitchConnectionHandlers;
  logger: ChatLogger;
}

/** The outcome of waiting for a connection to join its channels. */
export type JoinOutcome = 'joined' | 'closed' | 'timeout' | 'aborted';

/** One tmi.js client on one socket, joined to a fixed list of channels. */
export class TwitchConnection {
  /** Channels (logins) this connection has joined, from the server's JOIN echoes. */
  readonly joined = new Set<string>();
  /** Set once tmi.js threw on this connection's input: its state is suspect and it should be replaced. */
  faulted = false;
  readonly label: string;
  readonly #options: TwitchConnectionOptions;
  readonly #client: Client;
  readonly #nick: string;
  readonly #watchers = new Set<() => void>();
  #state: 'idle' | 'connecting' | 'ready' | 'closed' = 'idle';
  #timer: NodeJS.Timeout | undefined;

  constructor(options: TwitchConnectionOptions) {
    this.#options = options;
    this.label = options.label;
    this.#nick = options.identity.username.toLowerCase();
    const { endpoint, identity, joinIntervalMs } = options;
    this.#client = createTmiClient({
      options: { skipUpdatingEmotesets: true, skipMembership: true, joinInterval: joinIntervalMs },
      // Reconnects are the shard's: tmi's own reconnect timer cannot be cancelled, so stop() could not end it.
      connection: { server: endpoint.host, port: endpoint.port, secure: endpoint.secure, reconnect: false },
      identity,
      // tmi.js logs chat text at info level: never kept. Its warnings and errors are routine here (the shard logs
      // what matters), so they go to debug, cut short.
      logger: {
        info: () => {},
        warn: (message) => options.logger.debug({ client: this.label }, String(message).slice(0, 200)),
        error: (message) => options.logger.debug({ client: this.label }, String(message).slice(0, 200)),
      },
    });
    isolateClient(this.#client, {
      frame: (data, forward) => this.#frame(data, forward),
      threw: (error) => {
        this.faulted = true;
        options.handlers.clientError(error);
      },
      closed: () => this.#closed(),
    });
  }

  /** True once logged in and until the socket closes. */
  get isReady(): boolean {
    return this.#state === 'ready';
  }

  /** True once the socket is gone. */
  get isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** True when every channel of this connection is joined. */
  get joinedAll(): boolean {
    return this.#options.channels.every((channel) => this.joined.has(channel));
  }

  /** Opens the socket; progress arrives through the handlers. */
  open(): void {
    if (this.#state !== 'idle') return;
    this.#state = 'connecting';
    this.#timer = setTimeout(() => {
      this.#options.logger.warn({ client: this.label }, 'twitch connection timed out before login');
      void this.close();
    }, this.#options.connectTimeoutMs);
    this.#client.connect().catch(() => {
      // The failure also reaches the socket handlers, which report it as closed.
    });
  }

  /** Resolves when every channel is joined, the connection closes, `timeoutMs` passes or `signal` aborts. */
  waitJoined(timeoutMs: number, signal: AbortSignal): Promise<JoinOutcome> {
    return new Promise((resolve) => {
      const check = () => {
        const outcome: JoinOutcome | null = signal.aborted
          ? 'aborted'
          : this.isClosed
            ? 'closed'
            : this.isReady && this.joinedAll
              ? 'joined'
              : null;
        if (outcome !== null) finish(outcome);
      };
      const finish = (outcome: JoinOutcome) => {
        clearTimeout(timer);
        this.#watchers.delete(check);
        signal.removeEventListener('abort', check);
        resolve(outcome);
      };
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      this.#watchers.add(check);
      signal.addEventListener('abort', check, { once: true });
      check();
    });
  }

  /** Closes the socket (a close handshake, then a hard stop if it hangs) and resolves once it is gone. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const gone = new Promise<void>((resolve) => this.#watchers.add(() => this.isClosed && resolve()));
    if (this.#state === 'idle') this.#closed();
    this.#client.disconnect().catch(() => {
      // Not open (still connecting, or already closing): the socket handlers report the close.
    });
    const hardStop = setTimeout(() => terminateSocket(this.#client), 2000);
    const giveUp = setTimeout(() => this.#closed(), 4000);
    await gone;
    clearTimeout(hardStop);
    clearTimeout(giveUp);
  }

  #frame(data: unknown, forward: (line: string) => void): void {
    if (typeof data !== 'string') {
      // Twitch sends text only; tmi.js would throw on a binary frame, so it never sees one.
      this.#options.handlers.frame([], 1, 1);
      return;
    }
    const messages: IrcMessage[] = [];
    let lines = 0;
    let unparsable = 0;
    for (const line of data.split(/\r?\n/)) {
      if (line === '') continue;
      lines++;
      const message = parseIrcLine(line);
      if (message === null) unparsable++;
      else if (!this.#protocol(message)) continue;
      else messages.push(message);
      forward(line);
    }
    this.#options.handlers.frame(messages, lines, unparsable);
  }

  /** Tracks login, joins and RECONNECT; false for a line tmi.js must not see. */
  #protocol(message: IrcMessage): boolean {
    switch (message.command) {
      case 'RECONNECT':
        // Handled make-before-break by the shard; tmi.js would disconnect at once.
        this.#options.handlers.reconnectRequested();
        return false;
      case '376':
        // A second end-of-MOTD would make tmi.js start a second ping loop that it never clears.
        if (this.#state !== 'connecting') return false;
        this.#state = 'ready';
        clearTimeout(this.#timer);
        this.#options.handlers.ready();
        this.#join([...this.#options.channels]);
        return true;
      case 'JOIN':
      case 'PART': {
        const channel = message.params[0];
        if (prefixNick(message.prefix)?.toLowerCase() !== this.#nick || !channel?.startsWith('#')) return true;
        if (message.command === 'JOIN') this.joined.add(channel.slice(1).toLowerCase());
        else this.joined.delete(channel.slice(1).toLowerCase());
        this.#notify();
        return true;
      }
      default:
        return true;
    }
  }

  /** JOINs the channels of `queue` not joined yet, one per interval (the pace Twitch allows), then rechecks later. */
  #join(queue: string[]): void {
    if (this.#state !== 'ready') return;
    let channel = queue.shift();
    while (channel !== undefined && this.joined.has(channel)) channel = queue.shift();
    if (channel === undefined) {
      this.#timer = setTimeout(
        () => this.#join(this.#options.channels.filter((c) => !this.joined.has(c))),
        this.#options.rejoinIntervalMs,
      );
      return;
    }
    sendLine(this.#client, `JOIN #${channel}`);
    this.#timer = setTimeout(() => this.#join(queue), this.#options.joinIntervalMs);
  }

  #closed(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#timer);
    this.joined.clear();
    this.#notify();
    this.#options.handlers.closed();
  }

  #notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }
}
