// A fake Twitch IRC server for tests: a `ws` server on 127.0.0.1 that speaks enough of Twitch's handshake for tmi.js
// (CAP ACK, 001-004, MOTD, GLOBALUSERSTATE; JOIN echo, NAMES, USERSTATE, ROOMSTATE; PING/PONG), tracks connections
// and joins, and lets a test send lines to a channel, ask a connection to RECONNECT, drop it, or feed it garbage.
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export * from './chat/irc-lines.js';

/** One client connection as the server sees it. */
export interface FakeIrcConnection {
  readonly id: number;
  /** The NICK the client logged in with, or null before NICK. */
  nick: string | null;
  /** Channel logins (without '#') this connection has joined. */
  readonly channels: Set<string>;
  /** Every line the client sent, in order. */
  readonly received: string[];
  /** True until the socket closes. */
  open: boolean;
  readonly socket: WebSocket;
}

/** Options for {@link FakeIrcServer.start}. */
export interface FakeIrcServerOptions {
  /** The room id ROOMSTATE reports for a channel login (default: a stable number derived from the login). */
  roomIdOf?: (login: string) => string;
  /** Return true to leave a JOIN unanswered (the client is not joined), as for a lost or refused JOIN. */
  ignoreJoin?: (login: string, connection: FakeIrcConnection) => boolean;
  /** Listen on this port (default: a random free one). */
  port?: number;
}

/** A stable numeric room id for a login, for tests that don't care which. */
export function defaultRoomId(login: string): string {
  let hash = 7;
  for (const ch of login) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return String(hash + 1);
}

/** The fake server. Start with {@link FakeIrcServer.start}; always `close()` it. */
export class FakeIrcServer {
  readonly #server: WebSocketServer;
  readonly #roomIdOf: (login: string) => string;
  readonly #ignoreJoin: (login: string, connection: FakeIrcConnection) => boolean;
  readonly #connections: FakeIrcConnection[] = [];

  private constructor(server: WebSocketServer, options: FakeIrcServerOptions) {
    this.#server = server;
    this.#roomIdOf = options.roomIdOf ?? defaultRoomId;
    this.#ignoreJoin = options.ignoreJoin ?? (() => false);
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** Listens on 127.0.0.1 (a random port unless `options.port`). */
  static async start(options: FakeIrcServerOptions = {}): Promise<FakeIrcServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new FakeIrcServer(server, options);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Every connection ever accepted, open or not, in order. */
  get allConnections(): readonly FakeIrcConnection[] {
    return this.#connections;
  }

  /** The connections open now. */
  get connections(): FakeIrcConnection[] {
    return this.#connections.filter((c) => c.open);
  }

  /** Open connections joined to `channel` (a login, with or without '#'). */
  joinedTo(channel: string): FakeIrcConnection[] {
    const login = channel.replace(/^#/, '');
    return this.connections.filter((c) => c.channels.has(login));
  }

  /** The room id ROOMSTATE reports for `login`. */
  roomIdOf(login: string): string {
    return this.#roomIdOf(login);
  }

  /** Sends `line` to every open connection joined to `channel`; returns how many got it. */
  send(channel: string, line: string): number {
    const targets = this.joinedTo(channel);
    for (const c of targets) c.socket.send(`${line}\r\n`);
    return targets.length;
  }

  /** Sends raw data in one frame to one connection: a string as text, a Buffer as text (unchecked bytes) or binary. */
  sendRaw(connection: FakeIrcConnection, data: string | Buffer, options: { binary?: boolean } = {}): void {
    if (connection.open) connection.socket.send(data, { binary: options.binary ?? false });
  }

  /** Sends PING, as Twitch does about every 5 minutes; the client must answer PONG (see `received`). */
  ping(connection: FakeIrcConnection): void {
    this.sendRaw(connection, 'PING :tmi.twitch.tv\r\n');
  }

  /** Asks a connection to reconnect, as Twitch does before a restart; optionally closes it `closeAfterMs` later. */
  reconnect(connection: FakeIrcConnection, closeAfterMs?: number): void {
    this.sendRaw(connection, ':tmi.twitch.tv RECONNECT\r\n');
    if (closeAfterMs !== undefined) setTimeout(() => this.drop(connection), closeAfterMs).unref();
  }

  /** Cuts a connection without a close handshake, like a network failure. */
  drop(connection: FakeIrcConnection): void {
    connection.socket.terminate();
  }

  /** Closes every connection and the server. */
  async close(): Promise<void> {
    for (const c of this.#connections) c.socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const connection: FakeIrcConnection = {
      id: this.#connections.length + 1,
      nick: null,
      channels: new Set(),
      received: [],
      open: true,
      socket,
    };
    this.#connections.push(connection);
    socket.on('close', () => {
      connection.open = false;
      connection.channels.clear();
    });
    socket.on('error', () => {});
    socket.on('message', (data) => {
      for (const line of data.toString().split(/\r?\n/)) {
        if (line !== '') this.#handle(connection, line);
      }
    });
  }

  #handle(c: FakeIrcConnection, line: string): void {
    c.received.push(line);
    const [command = '', ...args] = line.split(' ');
    const reply = (...lines: string[]) => {
      if (c.open) c.socket.send(lines.map((l) => `${l}\r\n`).join(''));
    };
    switch (command.toUpperCase()) {
      case 'CAP':
        reply(`:tmi.twitch.tv CAP * ACK :${line.split(':')[1] ?? ''}`);
        break;
      case 'NICK': {
        const nick = (args[0] ?? '').toLowerCase();
        c.nick = nick;
        reply(
          `:tmi.twitch.tv 001 ${nick} :Welcome, GLHF!`,
          `:tmi.twitch.tv 002 ${nick} :Your host is tmi.twitch.tv`,
          `:tmi.twitch.tv 003 ${nick} :This server is rather new`,
          `:tmi.twitch.tv 004 ${nick} :-`,
          `:tmi.twitch.tv 375 ${nick} :-`,
          `:tmi.twitch.tv 372 ${nick} :You are in a maze of twisty passages, all alike.`,
          `:tmi.twitch.tv 376 ${nick} :>`,
          `@badge-info=;badges=;color=;display-name=${nick};emote-sets=0;user-id=1;user-type= :tmi.twitch.tv GLOBALUSERSTATE`,
        );
        break;
      }
      case 'JOIN':
        for (const channel of (args[0] ?? '').split(',')) this.#join(c, channel.replace(/^#/, '').toLowerCase(), reply);
        break;
      case 'PART':
        for (const channel of (args[0] ?? '').split(',')) {
          const login = channel.replace(/^#/, '').toLowerCase();
          c.channels.delete(login);
          reply(`:${c.nick}!${c.nick}@${c.nick}.tmi.twitch.tv PART #${login}`);
        }
        break;
      case 'PING':
        reply(`PONG :${args.join(' ').replace(/^:/, '') || 'tmi.twitch.tv'}`);
        break;
      default:
        break;
    }
  }

  #join(c: FakeIrcConnection, login: string, reply: (...lines: string[]) => void): void {
    if (login === '' || c.nick === null || this.#ignoreJoin(login, c)) return;
    // Registered before the echo goes out: from the client's JOIN echo on, every line sent to the channel reaches it.
    c.channels.add(login);
    const nick = c.nick;
    reply(
      `:${nick}!${nick}@${nick}.tmi.twitch.tv JOIN #${login}`,
      `:${nick}.tmi.twitch.tv 353 ${nick} = #${login} :${nick}`,
      `:${nick}.tmi.twitch.tv 366 ${nick} #${login} :End of /NAMES list`,
      `@badge-info=;badges=;color=;display-name=${nick};emote-sets=0;mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #${login}`,
      `@emote-only=0;followers-only=-1;r9k=0;room-id=${this.#roomIdOf(login)};slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #${login}`,
    );
  }
}
