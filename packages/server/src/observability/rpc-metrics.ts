// Chain RPC counters by endpoint, read at scrape time from the SDK client's own per-endpoint metrics.
import type { RpcClient } from '@attention-oracle/sdk';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Registers the RPC metrics of `client` (the server's chain client: readiness, fees, claims all go through it) on
 * `registry`. Endpoints are labelled as the client redacts them (no path or query, which may hold an API key).
 *
 * @example registerRpcMetrics(registry, chain.client);
 */
export function registerRpcMetrics(registry: Registry, client: Pick<RpcClient, 'metrics'>): void {
  new Counter({
    name: 'ao_rpc_requests_total',
    help: 'Chain RPC attempts by endpoint',
    labelNames: ['endpoint'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const e of client.metrics().endpoints) this.inc({ endpoint: e.endpoint }, e.requests);
    },
  });
  new Counter({
    name: 'ao_rpc_errors_total',
    help: 'Failed chain RPC attempts by endpoint and kind',
    labelNames: ['endpoint', 'kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const e of client.metrics().endpoints) {
        for (const [kind, count] of Object.entries(e.errors)) this.inc({ endpoint: e.endpoint, kind }, count);
      }
    },
  });
  new Counter({
    name: 'ao_rpc_retries_total',
    help: 'Chain RPC attempts that repeated a failed request, by endpoint',
    labelNames: ['endpoint'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const e of client.metrics().endpoints) this.inc({ endpoint: e.endpoint }, e.retries);
    },
  });
  new Gauge({
    name: 'ao_rpc_consecutive_failures',
    help: 'Retryable chain RPC failures since the last success, by endpoint (0: healthy)',
    labelNames: ['endpoint'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const e of client.metrics().endpoints) this.set({ endpoint: e.endpoint }, e.consecutiveFailures);
    },
  });
}
