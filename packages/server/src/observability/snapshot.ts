// What the database says about the pipeline, read in one statement per scrape: collectors, epochs, late events, roots,
// alarms, treasury checks, claims and the in-database job queue. Every part reads a small table or an index range.
import { base58Encode, fromHex } from '@attention-oracle/core';
import { type DatabaseHandle, pgArray, sql } from '@attention-oracle/db';
import { queueNames } from '@attention-oracle/indexer';

/** One collector's heartbeat row. */
export interface CollectorFigures {
  readonly id: string;
  /** Unix ms: every event the collector received before it is in chat_events. */
  readonly flushedThroughMs: number;
  /** Unix seconds of its last heartbeat. */
  readonly lastHeartbeat: number;
  readonly spoolBacklog: number;
  readonly channels: number;
  /** Status 'live' and a heartbeat within COLLECTOR_DEAD_AFTER_SECONDS. */
  readonly up: boolean;
  /** Unix seconds the collector process started: the counts below count from then. */
  readonly startedAt: number;
  /** Events it appended durably to its spool since it started. */
  readonly eventsReceived: number;
  /** Events it flushed into the database since it started (a spool replayed at start included). */
  readonly eventsFlushed: number;
  /** Of those, events of an already sealed epoch. */
  readonly eventsLate: number;
}

/** The newest treasury coverage check (treasury_checks), covered or short. */
export interface TreasuryFigures {
  /** The treasury token account, base58. */
  readonly treasury: string;
  readonly outstanding: number;
  readonly balance: number;
  /** Outstanding minus balance when positive, else 0. */
  readonly shortfall: number;
  readonly wallets: number;
  /** Unix seconds of the check. */
  readonly checkedAt: number;
}

/** The figures the metrics export, as of one read. */
export interface PipelineSnapshot {
  readonly collectors: readonly CollectorFigures[];
  /** The newest sealed epoch (start, unix seconds), its seal latency (sealed_at minus epoch end) and event count. */
  readonly lastSealed: { readonly epoch: number; readonly latencySeconds: number; readonly events: number } | null;
  readonly openEpochs: number;
  /** Late events (arrived after their epoch sealed) of epochs that started in the last 24 h. */
  readonly recentLateEvents: number;
  /** Roots of the served mint by status. */
  readonly roots: readonly { readonly status: string; readonly count: number }[];
  /** The newest published root: seq and unix seconds of its publication. */
  readonly published: { readonly seq: number; readonly at: number | null } | null;
  /** Build time of the newest root that recorded one, ms. */
  readonly lastBuildMs: number | null;
  readonly activeAlarms: readonly string[];
  /** The figures of the newest treasury check, whether or not it raised the alarm; null before the first check. */
  readonly treasury: TreasuryFigures | null;
  /** Direct claims still open (reserved, pending), whatever their age, by status. */
  readonly openClaims: readonly { readonly status: string; readonly count: number }[];
  /** Direct claims created in the last 24 h, by status. */
  readonly recentClaims: readonly { readonly status: string; readonly count: number }[];
  /** The newest slot of a merkle claim seen on chain (chain_claims), or null. */
  readonly chainClaimsSlot: number | null;
  /** Unfinished or failed jobs of the in-database queue, by queue and status. */
  readonly jobs: readonly { readonly queue: string; readonly status: string; readonly count: number }[];
}

/** What {@link readPipelineSnapshot} needs. */
export interface SnapshotOptions {
  /** The served mint; null reads every mint's roots. */
  readonly mint: Uint8Array | null;
  /** A collector without a heartbeat for this long is down. */
  readonly deadAfterSeconds: number;
}

/**
 * Reads every database-derived figure in one round trip, in a few ms on a large database: chat_events is never read;
 * collectors, alarms, treasury checks (a row per treasury) and roots are small; epochs are read through
 * epochs_status_idx, late_events through its epoch index (last day only), claims through claims_open_idx and a
 * claims_status_idx range (last day), chain_claims through its slot index, jobs through jobs_ready_idx (every queue
 * name, so the index's leading column is bound).
 *
 * @example const snapshot = await readPipelineSnapshot(db, { mint, deadAfterSeconds: 300 });
 */
export async function readPipelineSnapshot(db: DatabaseHandle, options: SnapshotOptions): Promise<PipelineSnapshot> {
  const mint = options.mint;
  const [row] = await db.query<{ snapshot: PipelineSnapshot | string }>(sql`select json_build_object(
    'collectors', (select coalesce(json_agg(json_build_object(
        'id', collector_id, 'flushedThroughMs', flushed_through::float8,
        'lastHeartbeat', extract(epoch from last_heartbeat)::float8, 'spoolBacklog', spool_backlog,
        'channels', channels, 'startedAt', extract(epoch from started_at)::float8,
        'eventsReceived', events_received::float8, 'eventsFlushed', events_flushed::float8,
        'eventsLate', events_late::float8,
        'up', status = 'live' and last_heartbeat > now() - make_interval(secs => ${options.deadAfterSeconds}::int))
        order by collector_id), '[]'::json) from collector_heartbeats),
    'lastSealed', (select json_build_object('epoch', epoch::float8,
        'latencySeconds', extract(epoch from sealed_at)::float8 - (epoch + length_seconds)::float8,
        'events', coalesce(event_count, 0)::float8)
      from epochs where status = 'sealed' order by epoch desc limit 1),
    'openEpochs', (select count(*)::int from epochs where status = 'open'),
    'recentLateEvents', (select count(*)::float8 from late_events
      where epoch >= floor(extract(epoch from now()))::bigint - 86400),
    'roots', (select coalesce(json_agg(json_build_object('status', status, 'count', n) order by status), '[]'::json)
      from (select status, count(*)::int as n from roots where ${mint}::bytea is null or mint = ${mint}::bytea
        group by status) r),
    'published', (select json_build_object('seq', seq::float8, 'at', extract(epoch from published_at)::float8)
      from roots where (${mint}::bytea is null or mint = ${mint}::bytea) and status = 'published'
      order by seq desc limit 1),
    'lastBuildMs', (select build_ms from roots where (${mint}::bytea is null or mint = ${mint}::bytea)
      and build_ms is not null order by id desc limit 1),
    'activeAlarms', (select coalesce(json_agg(name order by name), '[]'::json) from alarms where cleared_at is null),
    'treasury', (select json_build_object('treasury', encode(treasury, 'hex'), 'outstanding', outstanding::float8,
        'balance', balance::float8, 'shortfall', shortfall::float8, 'wallets', wallets,
        'checkedAt', extract(epoch from checked_at)::float8)
      from treasury_checks order by checked_at desc, treasury limit 1),
    'openClaims', (select coalesce(json_agg(json_build_object('status', status, 'count', n) order by status), '[]'::json)
      from (select status, count(*)::int as n from claims where status in ('reserved', 'pending') group by status) c),
    'recentClaims', (select coalesce(json_agg(json_build_object('status', status, 'count', n) order by status),
        '[]'::json)
      from (select status, count(*)::int as n from claims
        where status in ('reserved', 'pending', 'settled', 'failed', 'voided')
          and created_at > now() - interval '1 day' group by status) c),
    'chainClaimsSlot', (select max(slot)::float8 from chain_claims),
    'jobs', (select coalesce(json_agg(json_build_object('queue', queue, 'status', status, 'count', n)
        order by queue, status), '[]'::json)
      from (select queue, status, count(*)::int as n from jobs
        where queue = any(${pgArray(queueNames)}::text[]) and status in ('waiting', 'active', 'failed')
        group by queue, status) j)
  ) as snapshot`);
  const snapshot = row?.snapshot;
  if (snapshot === undefined) throw new Error('the metrics snapshot query returned no row');
  // The treasury address comes as hex (bytea in JSON): the metrics label it base58, as it is everywhere else.
  const figures = typeof snapshot === 'string' ? (JSON.parse(snapshot) as PipelineSnapshot) : snapshot;
  if (figures.treasury === null) return figures;
  return { ...figures, treasury: { ...figures.treasury, treasury: base58Encode(fromHex(figures.treasury.treasury)) } };
}
