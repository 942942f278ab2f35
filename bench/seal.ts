// bench:seal: sealing one epoch of 1,000,000 participation rows (100,000 viewers x 10 channels) on PostgreSQL.
import { TOKEN } from '@attention-oracle/core';
import { sql } from '../packages/db/src/index.js';
import { createTestPostgres } from '../packages/db/src/testing.js';
import { type SealOptions, sealEpoch } from '../packages/indexer/src/epochs/index.js';
import { peakRssMb, progress, report, secondsSince } from './lib/report.js';

const VIEWERS = 100_000;
const CHANNELS = 10;
const ROWS = VIEWERS * CHANNELS;
const EPOCH = 1_699_999_200;
const HOUR = 3600;

async function main() {
  const { handle: db, drop } = await createTestPostgres();
  try {
    progress(`generating ${ROWS.toLocaleString()} participation rows with generate_series`);
    const setup = performance.now();
    await db.query(sql`insert into channels (login, channel_id, enabled)
      select 'channel_' || c, c, true from generate_series(1, ${CHANNELS}::int) as c`);
    await db.query(sql`insert into epochs (epoch, length_seconds) values (${EPOCH}::bigint, ${HOUR}::int)`);
    // Varied counters (hashed from the ids) so that points, scaling remainders and ties all occur.
    await db.query(sql`
      insert into participation (epoch, channel_id, viewer, messages, active_minutes, subs, resubs, gifted_subs, bits,
        raid_viewers, first_seen, last_seen, source)
      select ${EPOCH}::bigint, c, (1000000 + v)::text, h % 200, h % 61, (h % 97 = 0)::int, (h % 89 = 0)::int,
        case when h % 211 = 0 then h % 7 else 0 end, case when h % 13 = 0 then h % 500 else 0 end,
        case when h % 1999 = 0 then h % 300 else 0 end, ${EPOCH * 1000}::bigint, ${EPOCH * 1000 + 3_599_000}::bigint,
        'chat'
      from generate_series(1, ${CHANNELS}::int) as c, generate_series(1, ${VIEWERS}::int) as v,
        lateral (select abs(hashint4(v * 31 + c)) as h) as x`);
    await db.query(
      sql`insert into suppressions (user_id) select 1000000 + v from generate_series(1, ${VIEWERS}::int, 997) as v`,
    );
    await db.query(
      sql`insert into bots (user_id) select 1000000 + v from generate_series(5, ${VIEWERS}::int, 1999) as v`,
    );
    const now = (EPOCH + HOUR + 120) * 1000;
    await db.query(sql`insert into collector_heartbeats (collector_id, flushed_through, last_heartbeat, started_at)
      values ('bench', ${now}::bigint, to_timestamp(${now / 1000}::float8), now())`);
    await db.query(sql`analyze`);
    progress(`setup took ${secondsSince(setup).toFixed(1)} s; sealing`);

    const options: SealOptions = {
      epochSeconds: HOUR,
      graceSeconds: 60,
      deadAfterSeconds: 300,
      policy: {
        id: 'weighted-v1',
        params: { epochBudget: 50_000_000n * TOKEN, capPerViewerPerChannel: 5000n * TOKEN },
      },
      now,
    };
    const start = performance.now();
    const sealed = await sealEpoch(db, EPOCH, options);
    const seconds = secondsSince(start);
    if (!sealed.sealed) throw new Error(`epoch did not seal: ${sealed.reason}`);
    progress(
      `sealed: ${sealed.allocationCount.toLocaleString()} allocations, total ${sealed.total / TOKEN} tokens, ` +
        `scaled ${sealed.scaledByBudget}, input hash ${sealed.inputHash}`,
    );
    report('seal', { rows: ROWS, seconds: seconds.toFixed(2) }, [
      `sealEpoch end to end on PostgreSQL 15 (a fresh database from createTestPostgres): readiness, re-aggregation (the epoch has no chat events, so it is a count), reading ${ROWS.toLocaleString()} participation rows joined with 10 enabled channels, weighted-v1 with an epoch budget that binds and a per-channel cap, ${sealed.allocationCount.toLocaleString()} allocations written with unnest arrays, the input hash, the epochs row and the audit entry, in one transaction.`,
      `rows generated with generate_series (100,000 viewers x 10 channels, counters hashed from the ids), about 100 suppressed and 50 bot viewers; peak rss ${peakRssMb()} MB.`,
    ]);
  } finally {
    await drop();
  }
}

await main();
