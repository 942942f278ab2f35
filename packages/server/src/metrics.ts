// Prometheus metrics, one registry per server instance (so tests can run several servers in one process).

import type { DatabaseHandle } from '@attention-oracle/db';
import { activeAlarms } from '@attention-oracle/indexer';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The server's metrics. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Proofs answered, by how (`trpc` procedure or plain `http` route). */
  readonly proofsServed: Counter<'via'>;
  readonly requests: Counter<'route' | 'status'>;
  readonly requestSeconds: Histogram<'route'>;
  readonly rootsLoaded: Gauge;
}

/**
 * A fresh registry with the server's metrics; active alarms are read from the alarms table at scrape time.
 *
 * @example const metrics = createMetrics(db); res.end(await metrics.registry.metrics());
 */
export function createMetrics(db: DatabaseHandle): ServerMetrics {
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
  new Gauge({
    name: 'ao_alarms_active',
    help: 'Active alarms by name',
    labelNames: ['name'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const alarm of await activeAlarms(db.query)) this.inc({ name: alarm.name });
    },
  });
  return { registry, proofsServed, requests, requestSeconds, rootsLoaded };
}
