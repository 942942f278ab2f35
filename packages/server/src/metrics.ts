// Prometheus metrics, one registry per server instance (so tests can run several servers in one process): the
// server's own counters, plus gauges read at scrape time from the database (src/observability/) and the chain client.
import type { DatabaseHandle } from '@attention-oracle/db';
import type { ChainContext } from '@attention-oracle/indexer';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerPipelineMetrics } from './observability/pipeline-metrics.js';
import { registerRpcMetrics } from './observability/rpc-metrics.js';

/** The server's metrics. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Proofs answered, by how (`trpc` procedure or plain `http` route). */
  readonly proofsServed: Counter<'via'>;
  /** {@link proofsServed}'s children, made once: counting a proof costs no label lookup on the hot path. */
  readonly proofsServedVia: { readonly trpc: Counter.Internal; readonly http: Counter.Internal };
  readonly requests: Counter<'route' | 'status'>;
  readonly requestSeconds: Histogram<'route'>;
  readonly rootsLoaded: Gauge;
  /**
   * Claim submissions answered by the claims router, by `kind` (`direct` or `merkle`) and outcome `status` (the
   * claim's status, e.g. `pending`, or the refusal's error code, e.g. `CONFLICT`).
   */
  readonly claimsSubmitted: Counter<'kind' | 'status'>;
}

/** Where the scrape-time figures come from. */
export interface MetricsSources {
  readonly db: DatabaseHandle;
  /** The chain whose client's RPC counters are exported; null exports none. */
  readonly chain: ChainContext | null;
  /** The served mint (roots are counted for it); null counts every mint's. */
  readonly mint: Uint8Array | null;
  /** A collector without a heartbeat for this long is down (COLLECTOR_DEAD_AFTER_SECONDS). */
  readonly deadAfterSeconds: number;
  /** Called when the database snapshot of a scrape fails. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A fresh registry with the server's metrics; database and RPC figures are read at scrape time.
 *
 * @example const metrics = createMetrics({ db, chain, mint, deadAfterSeconds: 300 }); res.end(await metrics.registry.metrics());
 */
export function createMetrics(sources: MetricsSources): ServerMetrics {
  const registry = new Registry();
  const proofsServed = new Counter({
    name: 'ao_proofs_served_total',
    help: 'Proofs answered',
    labelNames: ['via'] as const,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'ao_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'ao_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const rootsLoaded = new Gauge({
    name: 'ao_roots_loaded',
    help: 'Servable roots in the proof cache',
    registers: [registry],
  });
  const claimsSubmitted = new Counter({
    name: 'ao_claims_submitted_total',
    help: 'Claim submissions by kind (direct, merkle) and outcome',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
  });
  registerPipelineMetrics(registry, sources);
  if (sources.chain !== null) registerRpcMetrics(registry, sources.chain.client);
  const proofsServedVia = { trpc: proofsServed.labels('trpc'), http: proofsServed.labels('http') };
  return { registry, proofsServed, proofsServedVia, requests, requestSeconds, rootsLoaded, claimsSubmitted };
}
