// Gauges and counters read from the database at scrape time: one snapshot query per scrape, shared by every metric.
import type { DatabaseHandle } from '@attention-oracle/db';
import { Counter, Gauge, type Registry } from 'prom-client';
import { type PipelineSnapshot, readPipelineSnapshot, type SnapshotOptions, type TreasuryFigures } from './snapshot.js';

/** What {@link registerPipelineMetrics} reads. */
export interface PipelineMetricsOptions extends SnapshotOptions {
  readonly db: DatabaseHandle;
  /** Called when the snapshot query fails (the scrape then reports ao_metrics_database_up 0 and no figures). */
  readonly onError?: (error: unknown) => void;
}

/**
 * Registers the database-derived metrics on `registry`. prom-client collects every metric of a scrape concurrently,
 * so the first metric starts the snapshot query and the others await the same promise; the next scrape reads afresh.
 * The collectors' event counts are counters: each counts from its collector's start and drops to 0 when it restarts,
 * which rate() and increase() read as a counter reset.
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

  // Counts since a collector's start, as its heartbeat row holds them (a restart resets them: a counter reset).
  const counter = (
    name: string,
    help: string,
    fill: (counter: Counter<'collector'>, figures: PipelineSnapshot) => void,
  ) =>
    new Counter<'collector'>({
      name,
      help,
      labelNames: ['collector'],
      registers: [registry],
      async collect() {
        const figures = await snapshot();
        this.reset();
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
  gauge(
    'ao_collector_started_seconds',
    'Unix time the collector process started: its event counters count from then',
    ['collector'],
    (g, s) => {
      for (const c of s.collectors) g.set({ collector: c.id }, c.startedAt);
    },
  );
  counter(
    'ao_collector_events_received_total',
    'Events the collector appended durably to its spool since it started (as of its last heartbeat)',
    (m, s) => {
      for (const c of s.collectors) m.inc({ collector: c.id }, c.eventsReceived);
    },
  );
  counter(
    'ao_collector_events_flushed_total',
    'Events the collector flushed into the database since it started, a spool replayed at start included',
    (m, s) => {
      for (const c of s.collectors) m.inc({ collector: c.id }, c.eventsFlushed);
    },
  );
  counter(
    'ao_collector_events_late_total',
    'Flushed events of an already sealed epoch (stored as late) since the collector started',
    (m, s) => {
      for (const c of s.collectors) m.inc({ collector: c.id }, c.eventsLate);
    },
  );
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
  // The newest treasury check, labelled with its treasury; absent before the first check.
  const treasury = (name: string, help: string, value: (t: TreasuryFigures) => number) =>
    gauge(name, help, ['treasury'], (g, s) => {
      if (s.treasury !== null) g.set({ treasury: s.treasury.treasury }, value(s.treasury));
    });
  treasury(
    'ao_treasury_shortfall',
    'Outstanding entitlement minus treasury balance (base units) at the newest treasury check, 0 when covered',
    (t) => t.shortfall,
  );
  treasury(
    'ao_treasury_outstanding',
    'Entitlement owed and not yet paid (base units) at the newest treasury check',
    (t) => t.outstanding,
  );
  treasury('ao_treasury_balance', 'Treasury balance (base units) at the newest treasury check', (t) => t.balance);
  treasury('ao_treasury_wallets', 'Wallets owed something at the newest treasury check', (t) => t.wallets);
  treasury('ao_treasury_checked_seconds', 'Unix time of the newest treasury check', (t) => t.checkedAt);
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
