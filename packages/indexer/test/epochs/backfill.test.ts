import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyLoginKey, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { afterAll, describe, expect, it } from 'vitest';
import { type BackfillOptions, ImportError, importBackfill } from '../../src/epochs/index.js';
import {
  addChannels,
  allocationsOf,
  backends,
  E,
  HOUR,
  insertEvents,
  participationOf,
  useDatabase,
} from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ao-backfill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (name: string, lines: string[]) => {
  const path = join(dir, `${++files}-${name}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

const OLD = toHex(legacyLoginKey('OldViewer'));
const A = E - 2 * HOUR;
const B = E - HOUR;
const HEADER = 'epoch,channel_id,user_id,login_hash,messages,active_minutes,subs,resubs,gifted_subs,bits,raid_viewers';
const CSV = [
  HEADER,
  `${A},1,100,,5,3,0,0,0,0,0`,
  `${A},1,,${OLD.toUpperCase()},1,1,1,0,0,0,0`,
  `${B},2,100,,0,0,0,0,0,250,0`,
];
const options: BackfillOptions = {
  epochSeconds: HOUR,
  policy: { id: 'weighted-v1', params: { epochBudget: 1_000_000n, ratePerPoint: 1n } },
};

describe.each(backends)('backfill on %s', (_, open) => {
  const db = useDatabase(open);
  const counts = async () =>
    (
      await db().query<{ p: number; e: number }>(sql`
      select (select count(*)::int from participation) as p, (select count(*)::int from epochs) as e`)
    )[0];

  it('imports CSV, keys legacy rows by login hash, seals the epochs and reports progress', async () => {
    await addChannels(db(), [1, 2]);
    const path = file('old.csv', CSV);
    const progress: [number, number | undefined][] = [];
    const result = await importBackfill(db(), path, {
      ...options,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(result.rows).toBe(3);
    expect(result.sealed.map((s) => [s.epoch, s.allocationCount, s.total])).toEqual([
      [A, 2, 1400n],
      [B, 1, 250n],
    ]);
    expect(progress.at(-1)).toEqual([statSync(path).size, statSync(path).size]);
    expect(await participationOf(db(), A)).toMatchObject([
      { channel: 1, viewer: '100', messages: 5, active_minutes: 3, source: 'backfill' },
      { channel: 1, viewer: `legacy:${OLD}`, subs: 1, active_minutes: 1, source: 'backfill' },
    ]);
    expect(await allocationsOf(db(), A)).toEqual([
      ['1', '100', '300', '300'],
      ['1', `legacy:${OLD}`, '1100', '1100'],
    ]);
    expect(await db().query(sql`select encode(login_hash, 'hex') as h, user_id from legacy_identities`)).toEqual([
      { h: OLD, user_id: null },
    ]);
    expect(await db().query(sql`select status, source, event_count::int as n from epochs order by epoch`)).toEqual([
      { status: 'sealed', source: 'backfill', n: 0 },
      { status: 'sealed', source: 'backfill', n: 0 },
    ]);

    // Importing it again would touch sealed epochs.
    await expect(importBackfill(db(), path, options)).rejects.toThrow(`${path}:2: epoch ${A} is already sealed`);
  });

  it('imports JSONL (ids as numbers or strings, absent counters 0) and excludes a legacy viewer joined to a suppressed user', async () => {
    await addChannels(db(), [1]);
    await db().query(sql`insert into legacy_identities (login_hash, user_id) values (decode(${OLD}, 'hex'), 555)`);
    await db().query(sql`insert into suppressions (user_id) values (555)`);
    const path = file('old.jsonl', [
      JSON.stringify({ epoch: A, channel_id: 1, user_id: '100', subs: 2 }),
      '',
      JSON.stringify({ epoch: String(A), channel_id: '1', login_hash: OLD, bits: 10, user_id: null }),
    ]);
    const result = await importBackfill(db(), path, options);
    expect(result.sealed).toMatchObject([{ epoch: A, allocationCount: 1, participantCount: 1, total: 2000n }]);
    expect(await allocationsOf(db(), A)).toEqual([['1', '100', '2000', '2000']]);
  });

  it.each([
    ['an unknown column', ['epoch,channel_id,user_id,likes', `${A},1,1,1`], 1, 'unknown column "likes"'],
    ['no viewer column', ['epoch,channel_id,bits', `${A},1,1`], 1, 'the header needs a user_id or a login_hash column'],
    ['a short line', [HEADER, `${A},1,100`], 2, 'expected 11 fields'],
    ['a quoted field', ['epoch,channel_id,user_id', `${A},"1",100`], 2, 'quotes and whitespace are not allowed'],
    [
      'an unaligned epoch',
      ['epoch,channel_id,user_id', `${A + 1},1,100`],
      2,
      `epoch ${A + 1} is not the start of a 3600 s epoch`,
    ],
    [
      'a future epoch',
      ['epoch,channel_id,user_id', `${E + 1000 * HOUR * 24 * 365},1,100`],
      2,
      `epoch ${E + 1000 * HOUR * 24 * 365} has not ended yet: backfill imports only past epochs`,
    ],
    [
      'both viewer keys',
      ['epoch,channel_id,user_id,login_hash', `${A},1,100,${OLD}`],
      2,
      'give exactly one of user_id and login_hash',
    ],
    ['a short hash', ['epoch,channel_id,login_hash', `${A},1,abc`], 2, 'login_hash must be 64 hex digits, got "abc"'],
    ['a negative counter', ['epoch,channel_id,user_id,bits', `${A},1,100,-1`], 2, 'bits must be an integer from 0 to'],
    [
      'too many minutes',
      ['epoch,channel_id,user_id,active_minutes', `${A},1,100,61`],
      2,
      'active_minutes must be an integer from 0 to 60, got "61"',
    ],
    ['channel 0', ['epoch,channel_id,user_id', `${A},0,100`], 2, 'channel_id must be a positive decimal id'],
    [
      'a repeated row',
      ['epoch,channel_id,user_id', `${A},1,100`, `${B},1,100`, `${A},1,100`],
      4,
      'repeats the epoch, channel and viewer of line 2',
    ],
    ['an empty file', [], 1, 'the file has no header line'],
  ])('rejects a CSV with %s, naming the line, and imports nothing', async (_, lines, line, problem) => {
    const path = file('bad.csv', lines);
    const error = await importBackfill(db(), path, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toContain(`${path}:${line}: ${problem}`);
    expect(await counts()).toEqual({ p: 0, e: 0 });
  });

  it.each([
    ['invalid JSON', ['{"epoch":'], 1, 'not valid JSON'],
    ['an array', ['[1,2]'], 1, 'expected a JSON object'],
    [
      'an unknown field',
      [JSON.stringify({ epoch: A, channel_id: 1, user_id: 1, login: 'x' })],
      1,
      'unknown field "login"',
    ],
    [
      'a fractional counter',
      [JSON.stringify({ epoch: A, channel_id: 1, user_id: 1, bits: 1.5 })],
      1,
      'bits must be an integer from 0 to 2147483647, got 1.5',
    ],
    [
      'a huge id',
      [JSON.stringify({ epoch: A, channel_id: '9223372036854775808', user_id: 1 })],
      1,
      'channel_id must be a positive decimal id below 2^63, got "9223372036854775808"',
    ],
  ])('rejects JSONL with %s', async (_, lines, line, problem) => {
    const path = file('bad.jsonl', lines);
    await expect(importBackfill(db(), path, options)).rejects.toThrow(`${path}:${line}: ${problem}`);
    expect(await counts()).toEqual({ p: 0, e: 0 });
  });

  it('finds a row repeated across chunks, and refuses epochs with chat data', async () => {
    const repeated = file('repeat.csv', ['epoch,channel_id,user_id', `${A},1,100`, `${A},1,101`, `${A},1,100`]);
    await expect(importBackfill(db(), repeated, { ...options, chunkRows: 1 })).rejects.toThrow(
      `${repeated}:4: repeats the epoch, channel and viewer of an earlier line`,
    );
    await insertEvents(db(), [{ id: 1, kind: 'message', epoch: B }]);
    const live = file('live.csv', ['epoch,channel_id,user_id', `${A},1,100`, `${B},1,100`]);
    await expect(importBackfill(db(), live, { ...options, chunkRows: 1 })).rejects.toThrow(
      `${live}:3: epoch ${B} already has chat data (it is not history)`,
    );
    expect(await db().query(sql`select count(*)::int as n from participation`)).toEqual([{ n: 0 }]);
  });

  it('under promo-v1 seals the last epoch of each window it touches, and refuses a window already paid', async () => {
    await addChannels(db(), [1]);
    const promo = {
      ...options,
      policy: { id: 'promo-v1' as const, params: { windowEpochs: 2, windowBudget: 10n ** 12n } },
    };
    const first = await importBackfill(
      db(),
      file('promo.csv', ['epoch,channel_id,user_id,active_minutes', `${A},1,100,5`]),
      promo,
    );
    expect(first.sealed.map((s) => [s.epoch, s.allocationCount])).toEqual([
      [A, 0],
      [B, 1],
    ]);
    expect(await allocationsOf(db(), B)).toEqual([['0', '100', '1', '110000000000']]);
    const late = file('late.csv', ['epoch,channel_id,user_id', `${A - 2 * HOUR},1,100`, `${B},1,101`]);
    await expect(importBackfill(db(), late, promo)).rejects.toThrow(`${late}:3: epoch ${B} is already sealed`);
  });
});
