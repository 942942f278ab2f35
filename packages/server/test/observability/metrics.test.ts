// /metrics follows the database: seeded collectors (and their event counts), epochs, late events, roots, alarms,
// treasury checks, claims and jobs come out as the numbers they are, in one query per scrape; RPC counters come from
// the chain client.
import { createServer } from 'node:net';
import { base58Encode } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { type ChainContext, clearAlarm, raiseAlarm } from '@attention-oracle/indexer';
import { createRpcClient } from '@attention-oracle/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import { createMetrics } from '../../src/metrics.js';
import type { RunningServer } from '../../src/server.js';
import { MINT, startTestServer, storeRoot } from '../helpers.js';

async function reset(db: DatabaseHandle) {
  await db.query(sql`truncate collector_heartbeats, epochs, late_events, roots, root_blobs, alarms, claims,
    chain_claims, jobs, treasury_checks`);
}

/** The samples of a Prometheus text exposition, by `name{labels}` as prom-client writes them. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    samples.set(match[1] as string, Number(match[2]));
  }
  return samples;
}

const HOUR = 3600;
const E = 1_700_000_000 - (1_700_000_000 % HOUR);
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const walletBytes = (n: number) => new Uint8Array(32).fill(n);
const TREASURY = walletBytes(9);
const OLD_TREASURY = walletBytes(8);
const treasury = base58Encode(TREASURY);

async function seed(db: DatabaseHandle, nowMs: number) {
  await db.query(sql`insert into collector_heartbeats (collector_id, flushed_through, last_heartbeat, started_at,
      channels, spool_backlog, status, events_received, events_flushed, events_late)
    values ('c1', ${nowMs - 2000}::bigint, now(), to_timestamp(${E}::float8), 3, 12, 'live', 1200, 1188, 3),
           ('c2', ${nowMs - 86_400_000}::bigint, now() - interval '1 day', now() - interval '2 days', 1, 5, 'live',
            40, 35, 0),
           ('c3', ${nowMs}::bigint, now(), now(), 0, 0, 'stopped', 0, 0, 0)`);
  await db.query(sql`insert into epochs (epoch, length_seconds, status, event_count, sealed_at) values
    (${E - HOUR}::bigint, ${HOUR}::int, 'sealed', 10, to_timestamp(${E + 30}::float8)),
    (${E}::bigint, ${HOUR}::int, 'sealed', 40, to_timestamp(${E + HOUR + 95}::float8)),
    (${E + HOUR}::bigint, ${HOUR}::int, 'open', null, null),
    (${E + 2 * HOUR}::bigint, ${HOUR}::int, 'open', null, null)`);
  // Two late events of an epoch of the last day, one of an old epoch (outside the window).
  const recent = Math.floor(nowMs / 1000 / HOUR) * HOUR - HOUR;
  for (const [n, epoch] of [
    [1, recent],
    [2, recent],
    [3, E],
  ] as const) {
    await db.query(sql`insert into late_events (event_id, epoch, channel_id, user_id, kind, sent_at)
      values (${uuid(n)}::uuid, ${epoch}::bigint, 1, 7, 0, ${epoch * 1000 + n}::bigint)`);
  }
  const amounts = new Map([[1, 10n]]);
  await storeRoot(db, { seq: 1n, amounts, publishSlot: 100n });
  await storeRoot(db, { seq: 2n, amounts, publishSlot: 200n });
  await storeRoot(db, { seq: 3n, amounts, status: 'superseded' });
  await storeRoot(db, { seq: 3n, amounts, status: 'built' });
  await db.query(sql`update roots set build_ms = 900 where seq = 2`);
  await db.query(sql`update roots set build_ms = 1500 where status = 'built'`);
  // The newest check (a shortfall) and an older one of a treasury no longer checked, which is not exported.
  await db.query(sql`insert into treasury_checks (treasury, settlement, outstanding, balance, shortfall, wallets,
      treasury_exists, checked_at)
    values (${TREASURY}, 'merkle', 1000, 400, 600, 7, true, to_timestamp(${E + 100}::float8)),
           (${OLD_TREASURY}, 'merkle', 900, 0, 900, 6, false, to_timestamp(${E - HOUR}::float8))`);
  await raiseAlarm(db.query, 'treasury-coverage', 'treasury shortfall of 600');
  await raiseAlarm(db.query, 'root-publish', 'publish stuck');
  await clearAlarm(db.query, 'root-publish');
  const claims: [number, string, string][] = [
    [1, 'reserved', '0 s'],
    [2, 'pending', '2 days'],
    [3, 'settled', '1 hour'],
    [4, 'settled', '2 hours'],
    [5, 'settled', '3 days'],
    [6, 'voided', '5 minutes'],
  ];
  for (const [n, status, age] of claims) {
    await db.query(sql`insert into claims (wallet, amount, total, paid_before, status, created_at)
      values (${walletBytes(n)}, 10, 10, 0, ${status}, now() - ${age}::interval)`);
  }
  await db.query(sql`insert into chain_claims (signature, event_index, claimer, amount, cumulative_total, root_seq, slot)
    values ('s1', 0, ${walletBytes(1)}, 5, 5, 1, 100), ('s2', 0, ${walletBytes(2)}, 5, 5, 2, 250)`);
  await db.query(sql`insert into jobs (id, queue, data, status) values
    ('a', 'epoch-seal', '{}', 'waiting'), ('b', 'epoch-seal', '{}', 'waiting'),
    ('c', 'tree-build', '{}', 'failed'), ('d', 'tree-build', '{}', 'completed')`);
}

describe.each(backends)('pipeline metrics on %s', (_name, open) => {
  const db = useDatabase(open, reset);
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    return parse(await res.text());
  };

  it('reports what the database holds, and follows it', async () => {
    const nowMs = Date.now();
    await seed(db(), nowMs);
    server.deps.metrics.claimsSubmitted.inc({ kind: 'direct', status: 'pending' });
    server.deps.metrics.claimsSubmitted.inc({ kind: 'direct', status: 'CONFLICT' });
    server.deps.metrics.claimsSubmitted.inc({ kind: 'direct', status: 'pending' });
    const m = await scrape();
    const expected: Record<string, number> = {
      ao_metrics_database_up: 1,
      'ao_collector_watermark_seconds{collector="c1"}': (nowMs - 2000) / 1000,
      'ao_collector_spool_backlog{collector="c1"}': 12,
      'ao_collector_spool_backlog{collector="c2"}': 5,
      'ao_collector_channels{collector="c1"}': 3,
      'ao_collector_up{collector="c1"}': 1,
      'ao_collector_up{collector="c2"}': 0,
      'ao_collector_up{collector="c3"}': 0,
      'ao_collector_started_seconds{collector="c1"}': E,
      'ao_collector_events_received_total{collector="c1"}': 1200,
      'ao_collector_events_flushed_total{collector="c1"}': 1188,
      'ao_collector_events_late_total{collector="c1"}': 3,
      'ao_collector_events_received_total{collector="c2"}': 40,
      'ao_collector_events_flushed_total{collector="c2"}': 35,
      'ao_collector_events_received_total{collector="c3"}': 0,
      ao_spool_backlog: 17,
      ao_epochs_open: 2,
      ao_epoch_last_sealed: E,
      ao_epoch_seal_latency_seconds: 95,
      ao_epoch_last_sealed_events: 40,
      ao_late_events_recent: 2,
      'ao_roots{status="published"}': 2,
      'ao_roots{status="built"}': 1,
      'ao_roots{status="superseded"}': 1,
      ao_root_published_seq: 2,
      ao_root_build_seconds: 1.5,
      'ao_alarms_active{name="treasury-coverage"}': 1,
      [`ao_treasury_shortfall{treasury="${treasury}"}`]: 600,
      [`ao_treasury_outstanding{treasury="${treasury}"}`]: 1000,
      [`ao_treasury_balance{treasury="${treasury}"}`]: 400,
      [`ao_treasury_wallets{treasury="${treasury}"}`]: 7,
      [`ao_treasury_checked_seconds{treasury="${treasury}"}`]: E + 100,
      'ao_claims_open{status="reserved"}': 1,
      'ao_claims_open{status="pending"}': 1,
      'ao_claims_recent{status="reserved"}': 1,
      'ao_claims_recent{status="settled"}': 2,
      'ao_claims_recent{status="voided"}': 1,
      ao_chain_claims_last_slot: 250,
      'ao_jobs{queue="epoch-seal",status="waiting"}': 2,
      'ao_jobs{queue="tree-build",status="failed"}': 1,
      'ao_claims_submitted_total{kind="direct",status="pending"}': 2,
      'ao_claims_submitted_total{kind="direct",status="CONFLICT"}': 1,
    };
    for (const [name, value] of Object.entries(expected)) expect(m.get(name), name).toBe(value);
    expect(m.has('ao_alarms_active{name="root-publish"}')).toBe(false);
    expect([...m.keys()].filter((k) => k.includes(base58Encode(OLD_TREASURY)))).toEqual([]);
    expect(m.has('ao_claims_recent{status="pending"}')).toBe(false); // two days old
    expect(m.has('ao_jobs{queue="tree-build",status="completed"}')).toBe(false);
    const heartbeat = m.get('ao_collector_heartbeat_seconds{collector="c1"}') ?? 0;
    expect(Math.abs(heartbeat - nowMs / 1000)).toBeLessThan(3600);
    expect(m.get('ao_root_published_timestamp_seconds')).toBeGreaterThan(0);

    // The next scrape reads afresh: a covered check cleared the alarm, and its figures are still exported.
    await clearAlarm(db().query, 'treasury-coverage');
    await db().query(sql`update treasury_checks set balance = 1500, shortfall = 0, wallets = 8,
      checked_at = to_timestamp(${E + 200}::float8) where treasury = ${TREASURY}`);
    await db().query(sql`update collector_heartbeats set spool_backlog = 0, flushed_through = ${nowMs}::bigint,
      events_received = 1500, events_flushed = 1500 where collector_id = 'c1'`);
    // c2 restarted: its counts start afresh (a counter reset).
    await db().query(sql`update collector_heartbeats set started_at = to_timestamp(${E + HOUR}::float8),
      events_received = 2, events_flushed = 0 where collector_id = 'c2'`);
    await db().query(sql`update epochs set status = 'sealed', event_count = 5,
      sealed_at = to_timestamp(${E + 2 * HOUR + 130}::float8) where epoch = ${E + HOUR}::bigint`);
    await db().query(sql`update roots set status = 'published', publish_slot = 300, published_at = now()
      where status = 'built'`);
    const after = await scrape();
    expect(after.get(`ao_treasury_shortfall{treasury="${treasury}"}`)).toBe(0);
    expect(after.get(`ao_treasury_outstanding{treasury="${treasury}"}`)).toBe(1000);
    expect(after.get(`ao_treasury_balance{treasury="${treasury}"}`)).toBe(1500);
    expect(after.get(`ao_treasury_wallets{treasury="${treasury}"}`)).toBe(8);
    expect(after.get(`ao_treasury_checked_seconds{treasury="${treasury}"}`)).toBe(E + 200);
    expect(after.has('ao_alarms_active{name="treasury-coverage"}')).toBe(false);
    expect(after.get('ao_collector_events_received_total{collector="c1"}')).toBe(1500);
    expect(after.get('ao_collector_events_flushed_total{collector="c1"}')).toBe(1500);
    expect(after.get('ao_collector_started_seconds{collector="c2"}')).toBe(E + HOUR);
    expect(after.get('ao_collector_events_received_total{collector="c2"}')).toBe(2);
    expect(after.get('ao_collector_events_flushed_total{collector="c2"}')).toBe(0);
    expect(after.get('ao_spool_backlog')).toBe(5);
    expect(after.get('ao_collector_watermark_seconds{collector="c1"}')).toBe(nowMs / 1000);
    expect(after.get('ao_epoch_seal_latency_seconds')).toBe(130);
    expect(after.get('ao_epochs_open')).toBe(1);
    expect(after.get('ao_epoch_last_sealed_events')).toBe(5);
    expect(after.get('ao_root_published_seq')).toBe(3);
    expect(after.get('ao_roots{status="published"}')).toBe(3);
    expect(after.has('ao_roots{status="built"}')).toBe(false);
  });

  it('an empty database exports zeros and leaves unknown figures out', async () => {
    const m = await scrape();
    expect(m.get('ao_metrics_database_up')).toBe(1);
    expect(m.get('ao_spool_backlog')).toBe(0);
    expect(m.get('ao_late_events_recent')).toBe(0);
    // Unknown figures are left out, not zero: nothing sealed or published, no collector, no treasury check yet.
    const names = [...m.keys()];
    for (const prefix of [
      'ao_epoch_seal_latency',
      'ao_root_published_seq',
      'ao_root_build',
      'ao_collector_',
      'ao_treasury_',
    ]) {
      expect(names.filter((name) => name.startsWith(prefix))).toEqual([]);
    }
  });
});

describe.each(backends)('metrics scrape cost on %s', (_name, open) => {
  const db = useDatabase(open, reset);

  it('reads the database once per scrape; a failing database reports ao_metrics_database_up 0', async () => {
    let queries = 0;
    const counting: DatabaseHandle = {
      ...db(),
      query: (statement) => {
        queries += 1;
        return db().query(statement);
      },
    };
    const metrics = createMetrics({ db: counting, chain: null, mint: MINT, deadAfterSeconds: 300 });
    const text = await metrics.registry.metrics();
    expect(queries).toBe(1);
    // Counts since a collector's start are counters (a restart is a counter reset to rate() and increase()).
    expect(text).toContain('# TYPE ao_collector_events_received_total counter');
    await metrics.registry.metrics();
    expect(queries).toBe(2);

    const errors: unknown[] = [];
    const broken: DatabaseHandle = { ...db(), query: () => Promise.reject(new Error('database away')) };
    const down = parse(
      await createMetrics({
        db: broken,
        chain: null,
        mint: MINT,
        deadAfterSeconds: 300,
        onError: (e) => errors.push(e),
      }).registry.metrics(),
    );
    expect(down.get('ao_metrics_database_up')).toBe(0);
    expect(down.has('ao_spool_backlog')).toBe(false);
    expect(errors).toHaveLength(1);
  });
});

describe('RPC metrics', () => {
  it('counts the chain client’s attempts and errors by endpoint, with the path (API key) redacted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createRpcClient({ urls: [`http://127.0.0.1:${port}/secret-key`], retries: 0, timeoutMs: 2000 });
    const broken: DatabaseHandle = { query: () => Promise.reject(new Error('unused')) } as unknown as DatabaseHandle;
    const metrics = createMetrics({
      db: broken,
      chain: { client } as unknown as ChainContext,
      mint: null,
      deadAfterSeconds: 300,
    });
    await expect(client.call('getSlot')).rejects.toThrow();
    await expect(client.call('getSlot')).rejects.toThrow();
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('secret-key');
    const m = parse(text);
    const endpoint = `http://127.0.0.1:${port}/***`; // as the client redacts it
    expect(m.get(`ao_rpc_requests_total{endpoint="${endpoint}"}`)).toBe(2);
    expect(m.get(`ao_rpc_errors_total{endpoint="${endpoint}",kind="network"}`)).toBe(2);
    expect(m.get(`ao_rpc_errors_total{endpoint="${endpoint}",kind="timeout"}`)).toBe(0);
    expect(m.get(`ao_rpc_consecutive_failures{endpoint="${endpoint}"}`)).toBe(2);
  });
});
