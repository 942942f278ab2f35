// Gauges read from the database at scrape time: one snapshot query per scrape, shared by every gauge it feeds.
import type { DatabaseHandle } from '@attention-oracle/db';
import { Gauge, type Registry } from 'prom-client';
import { type PipelineSnapshot, readPipelineSnapshot, type SnapshotOptions } from './snapshot.js';

/** What {@link registerPipelineMetrics} reads. */
export interface PipelineMetricsOptions extends SnapshotOptions {
  readonly db: DatabaseHandle;
  /** Called when the snapshot query fails (the scrape then reports ao_metrics_database_up 0 and no figures). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Registers the database-derived gauges on `registry`. prom-client collects every metric of a scrape concurrently,
 * so the first gauge starts the snapshot query and the others await the same promise; the next scrape reads afresh.
 *
 * @example registerPipelineMetrics(registry, { db, mint, deadAfterSeconds: 300 });
 */
export function registerPipelineMetrics(registry: Registry, options: PipelineMetricsOptions): void {
  let pending: Promise<PipelineSnapshot | null> | null = null;
  const snapshot = () => {
    pending ??= readPipelineSnapshot(options.db, options)
      .catch((error: unknown) => {
        options.onError?.(error);
        return null;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (gauge: Gauge<L>, figures: PipelineSnapshot) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const figures = await snapshot();
        this.reset();
        // An unlabelled gauge resets to 0; an unknown figure (nothing sealed yet, say) is left out instead.
        if (labelNames.length === 0) this.remove();
        if (figures !== null) fill(this, figures);
      },
    });

  new Gauge({
    name: 'ao_metrics_database_up',
    help: '1 when the database answered the metrics query of this scrape, else 0',
    registers: [registry],
    async collect() {
      this.set((await snapshot()) === null ? 0 : 1);
    },
  });
  gauge('ao_alarms_active', 'Active alarms by name', ['name'], (g, s) => {
    for (const name of s.activeAlarms) g.set({ name }, 1);
  });
  gauge(
    'ao_collector_watermark_seconds',
    "Unix time through which the collector's received events are in the database",
    ['collector'],
    (g, s) => {
      for (const c of s.collectors) g.set({ collector: c.id }, c.flushedThroughMs / 1000);
    },
  );
  gauge('ao_collector_heartbeat_seconds', "Unix time of the collector's last heartbeat", ['collector'], (g, s) => {
    for (const c of s.collectors) g.set({ collector: c.id }, c.lastHeartbeat);
  });
  gauge('ao_collector_spool_backlog', 'Events in the collector spool not yet flushed', ['collector'], (g, s) => {
    for (const c of s.collectors) g.set({ collector: c.id }, c.spoolBacklog);
  });
  gauge('ao_collector_channels', 'Channels the collector reads', ['collector'], (g, s) => {
    for (const c of s.collectors) g.set({ collector: c.id }, c.channels);
  });
  gauge('ao_collector_up', '1 when the collector is live with a recent heartbeat, else 0', ['collector'], (g, s) => {
    for (const c of s.collectors) g.set({ collector: c.id }, c.up ? 1 : 0);
  });
  gauge('ao_spool_backlog', 'Events spooled and not yet flushed, over all collectors', [], (g, s) => {
    g.set(s.collectors.reduce((sum, c) => sum + c.spoolBacklog, 0));
  });
  gauge('ao_epochs_open', 'Epochs not sealed yet', [], (g, s) => g.set(s.openEpochs));
  gauge('ao_epoch_last_sealed', 'Start (unix seconds) of the newest sealed epoch', [], (g, s) => {
    if (s.lastSealed !== null) g.set(s.lastSealed.epoch);
  });
  gauge('ao_epoch_seal_latency_seconds', 'Seal time minus epoch end, of the newest sealed epoch', [], (g, s) => {
    if (s.lastSealed !== null) g.set(s.lastSealed.latencySeconds);
  });
  gauge('ao_epoch_last_sealed_events', 'Chat events counted in the newest sealed epoch', [], (g, s) => {
    if (s.lastSealed !== null) g.set(s.lastSealed.events);
  });
  gauge(
    'ao_late_events_recent',
    'Events that arrived after their epoch sealed, of epochs started in the last 24 h',
    [],
    (g, s) => g.set(s.recentLateEvents),
  );
  gauge('ao_roots', 'Roots of the served mint by status', ['status'], (g, s) => {
    for (const r of s.roots) g.set({ status: r.status }, r.count);
  });
  gauge('ao_root_published_seq', 'Seq of the newest published root', [], (g, s) => {
    if (s.published !== null) g.set(s.published.seq);
  });
  gauge('ao_root_published_timestamp_seconds', 'Unix time the newest published root was published', [], (g, s) => {
    if (s.published?.at != null) g.set(s.published.at);
  });
  gauge('ao_root_build_seconds', 'Build time of the newest root that recorded one', [], (g, s) => {
    if (s.lastBuildMs !== null) g.set(s.lastBuildMs / 1000);
  });
  gauge(
    'ao_treasury_shortfall',
    'Outstanding entitlement minus treasury balance while the treasury-coverage alarm is active, else 0',
    [],
    (g, s) => g.set(s.treasury?.shortfall ?? 0),
  );
  gauge(
    'ao_treasury_outstanding',
    'Outstanding entitlement (base units) at the check that raised the active treasury-coverage alarm',
    [],
    (g, s) => {
      if (s.treasury !== null) g.set(s.treasury.outstanding);
    },
  );
  gauge(
    'ao_treasury_balance',
    'Treasury balance (base units) at the check that raised the active treasury-coverage alarm',
    [],
    (g, s) => {
      if (s.treasury !== null) g.set(s.treasury.balance);
    },
  );
  gauge('ao_claims_open', 'Direct claims reserved or pending, whatever their age', ['status'], (g, s) => {
    for (const c of s.openClaims) g.set({ status: c.status }, c.count);
  });
  gauge('ao_claims_recent', 'Direct claims created in the last 24 h by status', ['status'], (g, s) => {
    for (const c of s.recentClaims) g.set({ status: c.status }, c.count);
  });
  gauge('ao_chain_claims_last_slot', 'Slot of the newest merkle claim seen on chain', [], (g, s) => {
    if (s.chainClaimsSlot !== null) g.set(s.chainClaimsSlot);
  });
  gauge(
    'ao_jobs',
    'Jobs of the in-database queue waiting, active or failed (empty when jobs run on Redis)',
    ['queue', 'status'],
    (g, s) => {
      for (const j of s.jobs) g.set({ queue: j.queue, status: j.status }, j.count);
    },
  );
}
