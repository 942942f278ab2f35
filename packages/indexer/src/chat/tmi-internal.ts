// Everything this package relies on inside a tmi.js 1.8.5 client beyond its typed API, in one place. tmi.js 1.8.5 is
// the last release (2021), so these internals are fixed; `isolateClient` checks them and fails loudly if they moved.
import { InvariantError } from '@attention-oracle/core';
import tmi, { type Client, type Options } from 'tmi.js';

type Handler = (...args: unknown[]) => void;

/** The client's socket handlers, which `_openConnection` binds onto each new WebSocket, and that socket. */
interface TmiInternals {
  _onOpen: Handler;
  _onMessage: (event: { data: unknown }) => void;
  _onError: Handler;
  _onClose: Handler;
  ws: { readyState: number; send(data: string): void; terminate(): void } | null;
}

/** Hooks that see a client's socket traffic once it is isolated. */
export interface ClientHooks {
  /** Every WebSocket frame; `forward(line)` hands one line to tmi.js, whose exceptions go to `threw`. */
  frame(data: unknown, forward: (line: string) => void): void;
  /** tmi.js threw while handling socket input or a socket event. */
  threw(error: unknown, handler: string): void;
  /** The socket failed or closed (may be called more than once). */
  closed(): void;
}

/** A tmi.js client. */
export function createTmiClient(options: Options): Client {
  return new tmi.Client(options);
}

/**
 * Puts a try/catch around every socket handler of `client` (tmi.js 1.8.5 throws from inside them on malformed input,
 * and the exception would escape through the `ws` event dispatch as an uncaught exception that ends the process),
 * and routes incoming frames through `hooks.frame`, which decides which lines tmi.js gets to see. Must run before
 * `connect()`: the handlers are bound when the socket is created.
 */
export function isolateClient(client: Client, hooks: ClientHooks): void {
  const internals = client as unknown as TmiInternals;
  for (const name of ['_onOpen', '_onMessage', '_onError', '_onClose'] as const) {
    if (typeof internals[name] !== 'function') throw new InvariantError(`tmi.js client has no ${name} handler`);
  }
  const guard = (name: '_onOpen' | '_onError' | '_onClose', after?: () => void): Handler => {
    const original = internals[name];
    return (...args) => {
      try {
        original.apply(client, args);
      } catch (error) {
        hooks.threw(error, name);
      }
      after?.();
    };
  };
  const onMessage = internals._onMessage;
  const forward = (line: string) => {
    try {
      onMessage.call(client, { data: line });
    } catch (error) {
      hooks.threw(error, '_onMessage');
    }
  };
  internals._onOpen = guard('_onOpen');
  internals._onError = guard('_onError', () => hooks.closed());
  internals._onClose = guard('_onClose', () => hooks.closed());
  internals._onMessage = (event) => hooks.frame(event?.data, forward);
}

/** Sends a raw line on the client's socket when it is open; true if sent. Bypasses tmi's command timers. */
export function sendLine(client: Client, line: string): boolean {
  const ws = (client as unknown as TmiInternals).ws;
  if (ws === null || ws.readyState !== 1) return false;
  ws.send(line);
  return true;
}

/** Destroys the client's socket at once (for a close handshake that does not complete). */
export function terminateSocket(client: Client): void {
  (client as unknown as TmiInternals).ws?.terminate();
}
