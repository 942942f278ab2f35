// A JSON-RPC server for tests, on node:http at 127.0.0.1: it answers each method from a script and can be told to
// misbehave the way real RPC endpoints do (never answer, 429 with Retry-After, 500, dropped sockets, bodies that are
// not JSON, stale blockhashes, "Blockhash not found", JSON-RPC errors). It records every request it receives, faulty
// or not, so tests can prove where a request went and that it was not sent twice.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A way to misbehave for one request. */
export type Fault =
  | { kind: 'timeout' }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'drop' }
  | { kind: 'malformed'; body?: string }
  | { kind: 'rpc-error'; code: number; message: string; data?: unknown }
  | { kind: 'blockhash-not-found' }
  | { kind: 'stale-blockhash'; blockhash: string; lastValidBlockHeight: number; slot: number };

/** A request as received. `methods` has one entry, or one per item of a batch. */
export interface RecordedRequest {
  at: number;
  methods: string[];
  payload: unknown;
  body: string;
}

/** Computes the `result` for one call; throwing a {@link RpcFailure} answers with a JSON-RPC error instead. */
export type MethodHandler = (params: unknown, request: RecordedRequest) => unknown;

/** Thrown by a handler to answer with a JSON-RPC error object. */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface Injection {
  fault: Fault;
  method: string | undefined;
  remaining: number;
}

/** The server. Start with {@link FaultServer.start}; always `close()` it. */
export class FaultServer {
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  readonly #handlers = new Map<string, MethodHandler>();
  readonly #injections: Injection[] = [];
  #url = '';

  private constructor() {
    this.#server = createServer((req, res) => void this.#serve(req, res));
  }

  static async start(): Promise<FaultServer> {
    const server = new FaultServer();
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    server.#url = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    return server;
  }

  get url(): string {
    return this.#url;
  }

  /** Answers `method` with `handler(params)`, or with a fixed result. */
  answer(method: string, handler: MethodHandler | { result: unknown }): this {
    this.#handlers.set(method, typeof handler === 'function' ? handler : () => handler.result);
    return this;
  }

  /** Misbehaves for the next `times` requests (default 1; Infinity for always), of `method` or of any method. */
  inject(fault: Fault, options: { method?: string; times?: number } = {}): this {
    this.#injections.push({ fault, method: options.method, remaining: options.times ?? 1 });
    return this;
  }

  /** Requests that called `method` (alone or in a batch). */
  requestsFor(method: string): RecordedRequest[] {
    return this.requests.filter((request) => request.methods.includes(method));
  }

  /** Stops listening and cuts every open socket, including requests left hanging by a `timeout` fault. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      payload = undefined;
    }
    const items = Array.isArray(payload) ? payload : [payload];
    const methods = items.map((item) => String((item as { method?: unknown } | undefined)?.method));
    const request: RecordedRequest = { at: Date.now(), methods, payload, body };
    this.requests.push(request);

    const injection = this.#injections.find(
      (candidate) => candidate.remaining > 0 && (candidate.method === undefined || methods.includes(candidate.method)),
    );
    if (injection !== undefined) injection.remaining -= 1;
    const fault = injection?.fault;
    if (fault?.kind === 'timeout') return; // never answer; close() cuts the socket
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end(fault.body ?? `status ${fault.status}`);
      return;
    }
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(fault.body ?? '{"jsonrpc":"2.0","id":1,"res');
      return;
    }
    const answers = items.map((item) => this.#answerOne(item, request, fault));
    const json = JSON.stringify(Array.isArray(payload) ? answers : answers[0]);
    res.writeHead(200, { 'content-type': 'application/json' }).end(json);
  }

  #answerOne(item: unknown, request: RecordedRequest, fault: Fault | undefined): unknown {
    const { id = null, method, params } = (item ?? {}) as { id?: unknown; method?: string; params?: unknown };
    const error = (code: number, message: string, data?: unknown) => ({
      jsonrpc: '2.0',
      id,
      error: { code, message, ...(data === undefined ? {} : { data }) },
    });
    if (fault?.kind === 'rpc-error') return error(fault.code, fault.message, fault.data);
    if (fault?.kind === 'blockhash-not-found') {
      return error(-32002, 'Transaction simulation failed: Blockhash not found', {
        err: 'BlockhashNotFound',
        logs: [],
      });
    }
    if (fault?.kind === 'stale-blockhash' && method === 'getLatestBlockhash') {
      const value = { blockhash: fault.blockhash, lastValidBlockHeight: fault.lastValidBlockHeight };
      return { jsonrpc: '2.0', id, result: { context: { slot: fault.slot }, value } };
    }
    const handler = method === undefined ? undefined : this.#handlers.get(method);
    if (handler === undefined) return error(-32601, `Method not found: ${method}`);
    try {
      return { jsonrpc: '2.0', id, result: handler(params, request) };
    } catch (thrown) {
      if (thrown instanceof RpcFailure) return error(thrown.code, thrown.message, thrown.data);
      throw thrown;
    }
  }
}
