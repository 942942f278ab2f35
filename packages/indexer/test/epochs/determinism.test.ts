import { CHAT_EVENT_KIND_CODES, type DatabaseHandle, pgArray, sql } from '@attention-oracle/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SealOptions, sealEpoch } from '../../src/epochs/index.js';
import { addChannels, allocationsOf, backends, E, HOUR, heartbeat, participationOf, uuid } from './fixtures.js';

// A seeded random epoch of chat: every kind, moderation removing some messages, many viewers in several channels.
function randomEvents(count: number, seed: number) {
  let x = seed;
  const next = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const kinds = Object.values(CHAT_EVENT_KIND_CODES);
  return Array.from({ length: count }, (_, i) => {
    const kind = next(10) < 6 ? CHAT_EVENT_KIND_CODES.message : (kinds[next(kinds.length)] as number);
    return {
      id: uuid(i + 1),
      channel: 1 + next(6),
      user: next(50) === 0 ? null : 1000 + next(300),
      kind,
      sentAt: E * 1000 + next(HOUR * 1000),
      bits: kind === CHAT_EVENT_KIND_CODES.message && next(8) === 0 ? next(1000) : 0,
      count: next(60),
      target: kind === CHAT_EVENT_KIND_CODES.clearmsg ? uuid(1 + next(count)) : null,
    };
  });
}

async function loadEpoch(db: DatabaseHandle) {
  const events = randomEvents(5000, 20231114);
  const column = <T>(pick: (e: (typeof events)[number]) => T) => events.map(pick) as (string | number | null)[];
  await db.query(sql`insert into chat_events (event_id, epoch, channel_id, user_id, kind, sent_at, bits, count, target_id)
    select id, ${E}::bigint, c, u, k, s, b, n, t from unnest(${pgArray(column((e) => e.id))}::uuid[],
      ${pgArray(column((e) => e.channel))}::bigint[], ${pgArray(column((e) => e.user))}::bigint[],
      ${pgArray(column((e) => e.kind))}::smallint[], ${pgArray(column((e) => e.sentAt))}::bigint[],
      ${pgArray(column((e) => e.bits))}::int[], ${pgArray(column((e) => e.count))}::int[],
      ${pgArray(column((e) => e.target))}::uuid[]) as x(id, c, u, k, s, b, n, t)`);
  await db.query(sql`insert into epochs (epoch, length_seconds, dirty) values (${E}::bigint, ${HOUR}::int, true)`);
  await addChannels(db, [1, 2, 3, 4, 5], [6]);
  await db.query(sql`insert into suppressions (user_id) select 1000 + 7 * g from generate_series(0, 20) as g`);
  await db.query(sql`insert into bots (user_id) values (1001), (1002), (1003)`);
  await heartbeat(db, 'a', (E + HOUR + 60) * 1000, (E + HOUR + 60) * 1000);
}

describe('determinism across backends', () => {
  const opened: { handle: DatabaseHandle; drop(): Promise<void> }[] = [];
  beforeAll(async () => {
    for (const [, open] of backends) opened.push(await open());
  });
  afterAll(async () => {
    for (const { drop } of opened) await drop();
  });

  it('seals the same events to identical participation, allocations and input hash on PGlite and PostgreSQL', async () => {
    const options: SealOptions = {
      epochSeconds: HOUR,
      graceSeconds: 60,
      deadAfterSeconds: 300,
      // A budget that binds, so largest-remainder rounding and its tie-breaks take part.
      policy: {
        id: 'weighted-v1',
        params: { epochBudget: 123_456_789_012n, capPerViewerPerEpoch: 9_000_000_000_000n },
      },
      now: (E + HOUR + 60) * 1000,
    };
    const outcomes = [];
    for (const { handle } of opened) {
      await loadEpoch(handle);
      const sealed = await sealEpoch(handle, E, options);
      outcomes.push({
        sealed,
        participation: await participationOf(handle),
        allocations: await allocationsOf(handle),
      });
    }
    const [pglite, postgres] = outcomes;
    expect(opened.map((o) => o.handle.kind)).toEqual(['pglite', 'postgres']);
    expect(pglite?.sealed).toMatchObject({ sealed: true, scaledByBudget: true, total: 123_456_789_012n });
    expect((pglite?.allocations.length ?? 0) > 100).toBe(true);
    expect(postgres).toEqual(pglite);
  });
});
