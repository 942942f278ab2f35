import type { RpcErrorKind } from './rpc-error.js';

/** Upper bounds (milliseconds) of the latency histogram buckets; the last bucket is `Infinity`. */
export const RPC_LATENCY_BUCKETS_MS: readonly number[] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

/** Request latency as a Prometheus histogram: cumulative bucket counts plus sum and count. */
export interface RpcLatencyHistogram {
  sum: number;
  count: number;
  /** Cumulative: `count` of attempts that took at most `le` milliseconds; the last bucket has `le: Infinity`. */
  buckets: { le: number; count: number }[];
}

/** The last failed attempt on an endpoint. */
export interface RpcLastError {
  kind: RpcErrorKind;
  method: string;
  message: string;
  code?: number;
  httpStatus?: number;
  /** Unix milliseconds. */
  at: number;
}

/**
 * Counters of one endpoint. Every attempt counts once in `requests` and then once in `successes` or in one `errors`
 * kind, so `requests === successes + sum(errors)` once no attempt is in flight.
 */
export interface RpcEndpointMetrics {
  /** The endpoint's URL with path and query redacted (they often hold an API key). */
  endpoint: string;
  requests: number;
  successes: number;
  /** Attempts that repeated a request which had failed before (on this or another endpoint). */
  retries: number;
  errors: Record<RpcErrorKind, number>;
  latencyMs: RpcLatencyHistogram;
  /** Total time callers waited for this endpoint's request-rate cap. */
  rateLimitWaitMs: number;
  /** Callers waiting for this endpoint's request-rate cap right now. */
  queued: number;
  /** Retryable failures since the last success; 0 means the endpoint looks healthy. */
  consecutiveFailures: number;
  lastError: RpcLastError | null;
}

/** A snapshot of an RPC client's counters, one entry per endpoint in configuration order. */
export interface RpcClientMetrics {
  endpoints: RpcEndpointMetrics[];
}
