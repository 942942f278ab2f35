import { Connection, type ConnectionConfig } from '@solana/web3.js';
import { batchResults } from './batch-results-internal.js';
import { poolFetch } from './connection-fetch-internal.js';
import { createEndpoints } from './endpoint-pool-internal.js';
import { type ExecutorConfig, execute, toRpcError } from './execute-internal.js';
import { inspectBatch, inspectSingle, type JsonRpcRequest, methodsOf } from './json-rpc-internal.js';
import { copyCounters } from './metrics-internal.js';
import type { RpcError } from './rpc-error.js';
import type { RpcClientMetrics } from './rpc-metrics.js';

/** How to reach a cluster. */
export interface RpcClientOptions {
  /** The pool, in order of preference. Path and query (API keys) never appear in errors or metrics. */
  urls: readonly string[];
  /** Per-attempt timeout, covering the whole answer. Default 10 000. */
  timeoutMs?: number;
  /** Attempts after the first, across the pool. Default 3. */
  retries?: number;
  /** Request-rate cap per URL; callers queue for it. Default: no cap. */
  maxRequestsPerSecond?: number;
  /** First retry delay step; doubles per retry, jittered. Default 100. */
  backoffBaseMs?: number;
  /** Largest retry delay step. Default 2 000. */
  backoffMaxMs?: number;
  /** The longest Retry-After a call waits out; beyond it the call fails with `retryAfterMs`. Default 10 000. */
  maxRetryAfterMs?: number;
  /** Extra HTTP headers on every request. */
  headers?: Readonly<Record<string, string>>;
  /** The fetch to use. Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
}

/** Per-call options. */
export interface RpcCallOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
}

/** One request of a {@link RpcClient.batch}. */
export interface RpcBatchRequest {
  method: string;
  params?: unknown;
}

/** One result of a {@link RpcClient.batch}, in request order. */
export type RpcBatchResult<T = unknown> = { ok: true; result: T } | { ok: false; error: RpcError };

/** web3.js Connection settings the pool leaves to the caller (transport settings belong to the pool). */
export type RpcConnectionConfig = Omit<
  ConnectionConfig,
  'fetch' | 'fetchMiddleware' | 'disableRetryOnRateLimit' | 'httpAgent' | 'httpHeaders'
>;

/** A JSON-RPC client over a pool of endpoints of one cluster. */
export interface RpcClient {
  /** The endpoints as they appear in errors and metrics. */
  readonly endpoints: readonly string[];
  /** Calls `method`; resolves with its `result` or throws an {@link RpcError}. */
  call<T>(method: string, params?: unknown, options?: RpcCallOptions): Promise<T>;
  /** Sends the requests as one JSON-RPC batch, retried as a whole; item errors come back as results. */
  batch<T = unknown>(requests: readonly RpcBatchRequest[], options?: RpcCallOptions): Promise<RpcBatchResult<T>[]>;
  /** A snapshot of the counters per endpoint. */
  metrics(): RpcClientMetrics;
  /** A web3.js Connection whose HTTP requests go through this pool (subscriptions still use its WebSocket). */
  connection(config?: RpcConnectionConfig): Connection;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  const resolved = value ?? fallback;
  if (!Number.isFinite(resolved) || resolved < 0 || (!allowZero && resolved === 0)) {
    throw new RangeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`);
  }
  return resolved;
}

/**
 * One JSON-RPC client for a Solana cluster: failover across `urls`, per-attempt timeouts, jittered retries of
 * retryable failures only, Retry-After, a per-URL rate cap and per-endpoint metrics.
 *
 * @example
 * const rpc = createRpcClient({ urls: ['https://api.devnet.solana.com', 'https://devnet.example.org'] });
 * const slot = await rpc.call<number>('getSlot', [{ commitment: 'confirmed' }]);
 * const balance = await rpc.connection({ commitment: 'confirmed' }).getBalance(wallet);
 */
export function createRpcClient(options: RpcClientOptions): RpcClient {
  if (options.urls.length === 0) throw new RangeError('an RPC client needs at least one URL');
  const retries = positive('retries', options.retries, 3, true);
  if (!Number.isInteger(retries)) throw new RangeError(`retries must be an integer, got ${retries}`);
  const endpoints = createEndpoints(options.urls, options.maxRequestsPerSecond);
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const config: ExecutorConfig = {
    endpoints,
    fetch: fetchImpl,
    headers: { ...options.headers },
    timeoutMs: positive('timeoutMs', options.timeoutMs, 10_000),
    retries,
    backoffBaseMs: positive('backoffBaseMs', options.backoffBaseMs, 100, true),
    backoffMaxMs: positive('backoffMaxMs', options.backoffMaxMs, 2_000, true),
    maxRetryAfterMs: positive('maxRetryAfterMs', options.maxRetryAfterMs, 10_000, true),
  };
  let nextId = 1;

  return {
    endpoints: endpoints.map((endpoint) => endpoint.label),

    async call<T>(method: string, params?: unknown, callOptions?: RpcCallOptions): Promise<T> {
      const request: JsonRpcRequest = {
        jsonrpc: '2.0',
        id: nextId++,
        method,
        ...(params === undefined ? {} : { params }),
      };
      const answer = await execute(config, JSON.stringify(request), method, inspectSingle, callOptions);
      if (answer.failure !== undefined)
        throw toRpcError(answer.failure, answer.endpoint.label, method, answer.attempts);
      return (answer.body as { result: T }).result;
    },

    async batch<T = unknown>(requests: readonly RpcBatchRequest[], callOptions?: RpcCallOptions) {
      if (requests.length === 0) return [];
      const payload: JsonRpcRequest[] = requests.map(({ method, params }) => ({
        jsonrpc: '2.0',
        id: nextId++,
        method,
        ...(params === undefined ? {} : { params }),
      }));
      const answer = await execute(config, JSON.stringify(payload), methodsOf(payload), inspectBatch, callOptions);
      return batchResults<T>(payload, answer);
    },

    metrics(): RpcClientMetrics {
      return {
        endpoints: endpoints.map((endpoint) => ({
          ...copyCounters(endpoint.counters),
          queued: endpoint.bucket?.queued ?? 0,
          consecutiveFailures: endpoint.consecutiveFailures,
        })),
      };
    },

    connection(connectionConfig?: RpcConnectionConfig): Connection {
      // The URL only names the Connection and derives its WebSocket endpoint; HTTP goes through poolFetch.
      const [first] = options.urls as [string, ...string[]];
      return new Connection(first, { ...connectionConfig, fetch: poolFetch(config), disableRetryOnRateLimit: true });
    },
  };
}
