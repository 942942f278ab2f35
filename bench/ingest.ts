// bench:ingest: 1,000,000 PRIVMSG lines through parse, normalize, spool and flush into PostgreSQL, against a bulk
// insert of the same rows straight into an identical table.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, pgArray, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import type { ChatEvent } from '../packages/indexer/src/chat/event.js';
import { parseIrcLine } from '../packages/indexer/src/chat/irc.js';
import { normalize } from '../packages/indexer/src/chat/normalize.js';
import { createNormalizeContext } from '../packages/indexer/src/chat/normalize-context.js';
import { Flusher } from '../packages/indexer/src/collector/flusher.js';
import { Spool } from '../packages/indexer/src/collector/spool.js';
import { peakRssMb, progress, report, secondsSince } from './lib/report.js';

const LINES = 1_000_000;
const BATCH = 1000; // lines per delivery, as a busy IRC connection hands them over
const IN_FLIGHT = 8;
const EPOCH = 3600;
const t0 = 1_700_000_000_000 - (1_700_000_000_000 % (EPOCH * 1000));

/** The i-th chat line: 10 channels, 50,000 chatters, spread over one hour. Ids are random UUIDs, as Twitch's are. */
function line(i: number): string {
  const user = 100_000 + (i % 50_000);
  const channel = i % 10;
  const id = uuid();
  return `@badge-info=;badges=;color=#1E90FF;display-name=User${user};emotes=;first-msg=0;flags=;id=${id};mod=0;returning-chatter=0;room-id=${9000 + channel};subscriber=0;tmi-sent-ts=${t0 + Math.floor((i * 3600_000) / LINES)};turbo=0;user-id=${user};user-type= :user${user}!user${user}@user${user}.tmi.twitch.tv PRIVMSG #channel${channel} :hello there, this is chat line ${i}`;
}

let pool = Buffer.alloc(0);
let poolAt = 0;
function uuid(): string {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * 65536);
    poolAt = 0;
  }
  const h = pool.toString('hex', poolAt, poolAt + 16);
  poolAt += 16;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** parse -> normalize -> spool (fsync) -> flusher -> chat_events; returns seconds until everything is stored. */
async function pipeline(db: DatabaseHandle, spoolDir: string): Promise<number> {
  const spool = await Spool.open(spoolDir);
  const flusher = new Flusher(spool, db, { epochSeconds: EPOCH, idleMs: 5 });
  const context = createNormalizeContext();
  const start = performance.now();
  flusher.start();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < LINES; i += BATCH) {
    const events: ChatEvent[] = [];
    for (let j = i; j < Math.min(i + BATCH, LINES); j++) {
      const message = parseIrcLine(line(j));
      const result = message && normalize(message, context);
      if (result && 'event' in result) events.push(result.event);
    }
    const now = Date.now();
    const append = spool.append(events.map((event) => ({ event, watermark: now }))).then(() => {
      inFlight.delete(append);
      flusher.poke();
    });
    inFlight.add(append);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    if (i % 100_000 === 0 && i > 0)
      progress(`  ${i.toLocaleString()} lines in, ${flusher.stats.inserted.toLocaleString()} stored`);
  }
  await Promise.all(inFlight);
  await flusher.drain(600_000);
  const seconds = secondsSince(start);
  await flusher.stop();
  await spool.close();
  if (flusher.stats.inserted !== LINES) throw new Error(`stored ${flusher.stats.inserted} of ${LINES} events`);
  return seconds;
}

/** The same rows, built from the same lines outside the timing, bulk-inserted in 5,000-row unnest statements. */
async function bulkInsert(db: DatabaseHandle): Promise<number> {
  await db.query(sql`create table chat_events_baseline (like chat_events including all)`);
  const context = createNormalizeContext();
  const batches: string[][] = [];
  for (let i = 0; i < LINES; i += 5000) {
    const events: ChatEvent[] = [];
    for (let j = i; j < Math.min(i + 5000, LINES); j++) {
      const result = normalize(parseIrcLine(line(j)) as NonNullable<ReturnType<typeof parseIrcLine>>, context);
      if ('event' in result) events.push(result.event);
    }
    batches.push([
      pgArray(events.map((e) => e.id)),
      pgArray(events.map((e) => Math.floor(e.sentAt / 1000 / EPOCH) * EPOCH)),
      pgArray(events.map((e) => e.channelId)),
      pgArray(events.map((e) => e.userId)),
      pgArray(events.map(() => 1)),
      pgArray(events.map((e) => e.sentAt)),
    ]);
  }
  const start = performance.now();
  for (const [id, epoch, channel, user, kind, sentAt] of batches) {
    await db.query(sql`
      insert into chat_events_baseline (event_id, epoch, channel_id, user_id, kind, sent_at)
      select * from unnest(${id}::uuid[], ${epoch}::bigint[], ${channel}::bigint[], ${user}::bigint[],
        ${kind}::smallint[], ${sentAt}::bigint[])`);
  }
  return secondsSince(start);
}

async function main() {
  const database = await createTestPostgres();
  const spoolDir = await mkdtemp(join(tmpdir(), 'ao-bench-spool-'));
  try {
    progress(`pipeline: ${LINES.toLocaleString()} PRIVMSG lines -> parse -> normalize -> spool -> PostgreSQL`);
    const seconds = await pipeline(database.handle, spoolDir);
    const rssMb = peakRssMb();
    progress(`  ${seconds.toFixed(2)} s`);
    progress('baseline: the same rows bulk-inserted straight into an identical table');
    const baseline = await bulkInsert(database.handle);
    progress(`  ${baseline.toFixed(2)} s`);
    report(
      'ingest',
      {
        events_per_s: Math.round(LINES / seconds),
        ratio_to_bulk_insert: (baseline / seconds).toFixed(3),
        rss_mb: rssMb,
      },
      [
        `pipeline: ${LINES.toLocaleString()} tagged PRIVMSG lines (10 channels, 50,000 chatters, random UUID ids) parsed, normalized, appended to the spool in deliveries of ${BATCH} with fdatasync per group commit, and flushed by the flusher (5,000-event unnest statements with the sealed-epoch check, ON CONFLICT DO NOTHING) into chat_events on PostgreSQL 15; timed from the first line to the last event stored (${seconds.toFixed(2)} s).`,
        `baseline: the same rows, prepared outside the timing, inserted in 5,000-row unnest statements into a table created LIKE chat_events INCLUDING ALL (${baseline.toFixed(2)} s, ${Math.round(LINES / baseline).toLocaleString()} rows/s).`,
        'rss: peak resident set size of the pipeline run (lines are generated on the fly, never held all at once).',
      ],
    );
  } finally {
    await database.drop();
    await rm(spoolDir, { recursive: true, force: true });
  }
}

await main();
