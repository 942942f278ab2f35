import type { RpcErrorKind } from './rpc-error.js';
import { RPC_LATENCY_BUCKETS_MS, type RpcEndpointMetrics, type RpcLastError } from './rpc-metrics.js';

const ERROR_KINDS: readonly RpcErrorKind[] = [
  'timeout',
  'network',
  'rate-limited',
  'server',
  'malformed-response',
  'blockhash-not-found',
  'node-unhealthy',
  'http',
  'invalid-request',
  'transaction',
  'rpc',
  'aborted',
];

/** Mutable counters of one endpoint (everything but the live fields, which the pool fills in on snapshot). */
export type EndpointCounters = Omit<RpcEndpointMetrics, 'queued' | 'consecutiveFailures'>;

/** Zeroed counters for `endpoint`, with every error kind present so exporters see stable label sets. */
export function emptyCounters(endpoint: string): EndpointCounters {
  return {
    endpoint,
    requests: 0,
    successes: 0,
    retries: 0,
    errors: Object.fromEntries(ERROR_KINDS.map((kind) => [kind, 0])) as Record<RpcErrorKind, number>,
    latencyMs: { sum: 0, count: 0, buckets: [...RPC_LATENCY_BUCKETS_MS, Infinity].map((le) => ({ le, count: 0 })) },
    rateLimitWaitMs: 0,
    lastError: null,
  };
}

/** Adds one attempt's latency to the histogram. */
export function observeLatency(counters: EndpointCounters, ms: number): void {
  const histogram = counters.latencyMs;
  histogram.sum += ms;
  histogram.count += 1;
  for (const bucket of histogram.buckets) if (ms <= bucket.le) bucket.count += 1;
}

/** Counts a failed attempt under its kind and remembers it as the endpoint's last error. */
export function countError(counters: EndpointCounters, error: RpcLastError): void {
  counters.errors[error.kind] += 1;
  counters.lastError = error;
}

/** A deep copy, so a caller holding a snapshot never sees it change. */
export function copyCounters(counters: EndpointCounters): EndpointCounters {
  return {
    ...counters,
    errors: { ...counters.errors },
    latencyMs: { ...counters.latencyMs, buckets: counters.latencyMs.buckets.map((bucket) => ({ ...bucket })) },
    lastError: counters.lastError === null ? null : { ...counters.lastError },
  };
}
