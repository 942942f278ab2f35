// The websocket side of the RPC (Solana's PubSub), as far as clients need it to confirm transactions: web3.js's
// confirmTransaction waits on signatureSubscribe and, without a websocket, only gives up when the blockhash expires.
// Also slotSubscribe and rootSubscribe. A signature that already landed is notified at the next slot, as agave does
// (it checks subscriptions against the status cache on each new bank); clients check the status themselves meanwhile.
import type { WebSocket, WebSocketServer } from 'ws';
import type { LocalLedger } from '../ledger.js';
import { errorResponse, RpcCode, RpcError, type RpcId, stringifyJson } from './json-rpc.js';
import { rpcContext } from './params.js';

interface Subscriber {
  socket: WebSocket;
  id: number;
  /** Forgets the subscription on its connection (one-shot signature subscriptions end on their notification). */
  done: () => void;
  /** Set when the client unsubscribed before a scheduled notification went out. */
  cancelled?: boolean;
}

/** Serves subscriptions on every connection of `wss`; returns the detach function. */
export function serveSubscriptions(wss: WebSocketServer, ledger: LocalLedger): () => void {
  let nextId = 0;
  const bySignature = new Map<string, Set<Subscriber>>();
  const slotSubscribers = new Map<number, Subscriber>();
  const rootSubscribers = new Map<number, Subscriber>();
  const register = (map: Map<number, Subscriber>, subscriber: Subscriber) => {
    map.set(subscriber.id, subscriber);
    return () => map.delete(subscriber.id);
  };
  let dueNextSlot: { subscriber: Subscriber; err: unknown }[] = [];
  const send = (socket: WebSocket, message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(stringifyJson(message));
  };
  const notify = (subscriber: Subscriber, method: string, result: unknown) =>
    send(subscriber.socket, { jsonrpc: '2.0', method, params: { result, subscription: subscriber.id } });
  const signatureResult = (err: unknown) => ({ context: rpcContext(ledger.slot), value: { err } });

  const stopLanded = ledger.onLanded((entry) => {
    const subscribers = bySignature.get(entry.signature);
    if (!subscribers) return;
    bySignature.delete(entry.signature);
    for (const subscriber of subscribers) {
      notify(subscriber, 'signatureNotification', signatureResult(entry.err));
      subscriber.done();
    }
  });
  const stopSlot = ledger.clock.onSlot((slot) => {
    const due = dueNextSlot;
    dueNextSlot = [];
    for (const { subscriber, err } of due) {
      if (!subscriber.cancelled) notify(subscriber, 'signatureNotification', signatureResult(err));
      subscriber.done();
    }
    for (const subscriber of slotSubscribers.values())
      notify(subscriber, 'slotNotification', { parent: slot - 1, root: slot, slot });
    for (const subscriber of rootSubscribers.values()) notify(subscriber, 'rootNotification', slot);
  });

  wss.on('connection', (socket) => {
    const owned = new Map<number, () => void>();
    const subscribe = (register: (subscriber: Subscriber) => () => void): number => {
      const id = ++nextId;
      const subscriber = { socket, id, done: () => owned.delete(id) };
      owned.set(subscriber.id, register(subscriber));
      return subscriber.id;
    };
    const unsubscribe = (params: unknown): boolean => {
      const id = Array.isArray(params) ? params[0] : undefined;
      const remove = typeof id === 'number' ? owned.get(id) : undefined;
      if (!remove) return false;
      remove();
      owned.delete(id as number);
      return true;
    };
    const handle = (request: { id?: RpcId; method?: unknown; params?: unknown }) => {
      const { id, method, params } = request;
      if (id === undefined) return; // notifications such as web3.js's keep-alive 'ping'
      const reply = (result: unknown) => send(socket, { jsonrpc: '2.0', result, id });
      switch (method) {
        case 'signatureSubscribe': {
          const signature = Array.isArray(params) ? params[0] : undefined;
          if (typeof signature !== 'string')
            return send(socket, errorResponse(id, new RpcError(RpcCode.invalidParams, 'Invalid params')));
          const landed = ledger.signatureStatus(signature);
          const subscriptionId = subscribe((subscriber) => {
            if (landed) {
              dueNextSlot.push({ subscriber, err: landed.err });
              return () => {
                subscriber.cancelled = true;
              };
            }
            const set = bySignature.get(signature) ?? new Set();
            set.add(subscriber);
            bySignature.set(signature, set);
            return () => {
              set.delete(subscriber);
              if (set.size === 0 && bySignature.get(signature) === set) bySignature.delete(signature);
            };
          });
          return reply(subscriptionId);
        }
        case 'slotSubscribe':
          return reply(subscribe((s) => register(slotSubscribers, s)));
        case 'rootSubscribe':
          return reply(subscribe((s) => register(rootSubscribers, s)));
        case 'signatureUnsubscribe':
        case 'slotUnsubscribe':
        case 'rootUnsubscribe':
          return reply(unsubscribe(params));
        default:
          return send(
            socket,
            errorResponse(id, new RpcError(RpcCode.methodNotFound, `Method not found: ${String(method)}`)),
          );
      }
    };
    socket.on('message', (data) => {
      let payload: unknown;
      try {
        payload = JSON.parse(data.toString());
      } catch {
        return send(socket, errorResponse(null, new RpcError(RpcCode.parseError, 'Parse error')));
      }
      for (const request of Array.isArray(payload) ? payload : [payload]) {
        if (typeof request === 'object' && request !== null) handle(request as Parameters<typeof handle>[0]);
      }
    });
    socket.on('close', () => {
      for (const remove of owned.values()) remove();
      owned.clear();
    });
  });
  return () => {
    stopLanded();
    stopSlot();
  };
}
