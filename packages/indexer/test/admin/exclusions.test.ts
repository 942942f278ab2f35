// Suppressions and bots: added, removed and listed with an audit row per change, read by collectors and sealing, and
// driven from the CLI.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InvalidArgumentError } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { createTestPostgres } from '@attention-oracle/db/testing';
import { describe, expect, it } from 'vitest';
import {
  addBot,
  addSuppression,
  exclusionsCommand,
  listBots,
  listSuppressions,
  removeBot,
  removeSuppression,
} from '../../src/admin/index.js';
import { watchExclusions } from '../../src/channels/exclusions.js';
import { sealEpoch } from '../../src/epochs/index.js';
import {
  addChannels,
  allocationsOf,
  backends,
  E,
  HOUR,
  heartbeat,
  insertEvents,
  useDatabase,
} from '../epochs/fixtures.js';

async function auditRows(db: DatabaseHandle) {
  return db.query<{ actor: string; action: string; subject: string; details: unknown }>(
    sql`select actor, action, subject, details from audit_log order by id`,
  );
}

describe.each(backends)('suppressions and bots on %s', (_, open) => {
  const db = useDatabase(open);

  it('adds, lists and removes suppressions, auditing each change and nothing else', async () => {
    const first = await addSuppression(db(), { userId: 200n, reason: 'asked by email', actor: 'api-key:ops' });
    expect(first).toMatchObject({
      added: true,
      entry: { userId: 200n, reason: 'asked by email', createdBy: 'api-key:ops' },
    });
    expect(first.entry.createdAt).toBeInstanceOf(Date);
    const again = await addSuppression(db(), { userId: 200n, reason: 'a second request', actor: 'cli' });
    expect(again).toMatchObject({ added: false, entry: { userId: 200n, reason: 'asked by email' } });
    await addSuppression(db(), { userId: 9_000_000_000n, reason: 'support ticket 7', actor: 'cli' });
    await addSuppression(db(), { userId: 5n, reason: 'x', actor: 'cli' });

    expect((await listSuppressions(db().query)).map((s) => s.userId)).toEqual([5n, 200n, 9_000_000_000n]);
    expect((await listSuppressions(db().query, { limit: 1, after: 5n })).map((s) => s.userId)).toEqual([200n]);

    expect(await removeSuppression(db(), { userId: 200n, actor: 'api-key:ops' })).toMatchObject({
      userId: 200n,
      reason: 'asked by email',
    });
    expect(await removeSuppression(db(), { userId: 200n, actor: 'api-key:ops' })).toBeNull();
    expect(await auditRows(db())).toEqual([
      { actor: 'api-key:ops', action: 'suppression.added', subject: '200', details: { reason: 'asked by email' } },
      { actor: 'cli', action: 'suppression.added', subject: '9000000000', details: { reason: 'support ticket 7' } },
      { actor: 'cli', action: 'suppression.added', subject: '5', details: { reason: 'x' } },
      {
        actor: 'api-key:ops',
        action: 'suppression.removed',
        subject: '200',
        details: { reason: 'asked by email', addedBy: 'api-key:ops' },
      },
    ]);
  });

  it('adds, lists and removes bots with their canonical login', async () => {
    expect(await addBot(db(), { userId: 300n, login: 'StreamElements', actor: 'cli' })).toMatchObject({
      added: true,
      entry: { userId: 300n, login: 'streamelements' },
    });
    expect((await addBot(db(), { userId: 301n, actor: 'cli' })).entry.login).toBeNull();
    expect((await addBot(db(), { userId: 300n, login: 'other', actor: 'cli' })).added).toBe(false);
    expect((await listBots(db().query)).map((b) => [b.userId, b.login])).toEqual([
      [300n, 'streamelements'],
      [301n, null],
    ]);
    expect(await removeBot(db(), { userId: 301n, actor: 'cli' })).toMatchObject({ userId: 301n });
    expect(await removeBot(db(), { userId: 999n, actor: 'cli' })).toBeNull();
    expect((await auditRows(db())).map((r) => `${r.action} ${r.subject}`)).toEqual([
      'bot.added 300',
      'bot.added 301',
      'bot.removed 301',
    ]);
  });

  it('rejects bad input before writing anything', async () => {
    const bad = [
      () => addSuppression(db(), { userId: 0n, reason: 'x', actor: 'cli' }),
      () => addSuppression(db(), { userId: 1n << 63n, reason: 'x', actor: 'cli' }),
      () => addSuppression(db(), { userId: 1n, reason: ' ', actor: 'cli' }),
      () => addSuppression(db(), { userId: 1n, reason: 'x'.repeat(501), actor: 'cli' }),
      () => addSuppression(db(), { userId: 1n, reason: 'x', actor: '' }),
      () => addBot(db(), { userId: 1n, login: '#bad login', actor: 'cli' }),
      () => listBots(db().query, { limit: 0 }),
      () => listSuppressions(db().query, { limit: 1001 }),
    ];
    for (const attempt of bad) await expect(attempt()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await listSuppressions(db().query)).toEqual([]);
    expect(await auditRows(db())).toEqual([]);
  });

  it('collectors see added exclusions and stop seeing removed ones', async () => {
    await addSuppression(db(), { userId: 200n, reason: 'opted out', actor: 'cli' });
    await addBot(db(), { userId: 300n, actor: 'cli' });
    const before = await watchExclusions(db());
    expect(['100', '200', '300'].map(before.isExcluded)).toEqual([false, true, true]);
    before.stop();
    await removeSuppression(db(), { userId: 200n, actor: 'cli' });
    const after = await watchExclusions(db());
    expect(['100', '200', '300'].map(after.isExcluded)).toEqual([false, false, true]);
    after.stop();
  });

  it('sealing leaves out viewers suppressed or listed as bots through these functions', async () => {
    await addChannels(db(), [1]);
    await insertEvents(db(), [
      { id: 1, kind: 'sub', user: 100, channel: 1 },
      { id: 2, kind: 'sub', user: 200, channel: 1 },
      { id: 3, kind: 'sub', user: 300, channel: 1 },
    ]);
    await addSuppression(db(), { userId: 200n, reason: 'opted out', actor: 'cli' });
    await addBot(db(), { userId: 300n, login: 'somebot', actor: 'cli' });
    const at = (E + HOUR + 60) * 1000;
    await heartbeat(db(), 'a', at, at);
    const sealed = await sealEpoch(db(), E, {
      epochSeconds: HOUR,
      graceSeconds: 60,
      deadAfterSeconds: 300,
      policy: { id: 'weighted-v1', params: { epochBudget: 1_000_000n, ratePerPoint: 1n } },
      now: at,
    });
    expect(sealed).toMatchObject({ sealed: true, participantCount: 1 });
    expect((await allocationsOf(db())).map((a) => a[1])).toEqual(['100']);
  });

  it('the CLI commands add, list and remove, and refuse a bad command line with its usage', async () => {
    const lines: string[] = [];
    const context = { db: db(), log: (line: string) => lines.push(line) };
    await exclusionsCommand(context, 'suppressions', ['add', '200'], { reason: 'asked in chat' });
    await exclusionsCommand(context, 'suppressions', ['add', '200'], { reason: 'again' });
    await exclusionsCommand(context, 'bots', ['add', '300', 'SomeBot'], {});
    await exclusionsCommand(context, 'suppressions', ['list'], {});
    await exclusionsCommand(context, 'bots', ['list'], { limit: '10' });
    await exclusionsCommand(context, 'bots', ['remove', '300'], {});
    await exclusionsCommand(context, 'bots', ['remove', '300'], {});
    await exclusionsCommand(context, 'bots', ['list'], {});
    expect(lines.map((l) => l.replace(/\t\S+Z$/, '\t<time>'))).toEqual([
      'suppressed 200',
      '200 was already suppressed (asked in chat)',
      'listed 300 as a bot',
      '200\tasked in chat\tcli\t<time>',
      '300\tsomebot\tcli\t<time>',
      '300 is no longer listed as a bot',
      '300 was not listed as a bot',
      'no bots',
    ]);
    const usage = [
      ['suppressions', ['add', '200'], {}],
      ['suppressions', ['add', 'abc'], { reason: 'x' }],
      ['suppressions', ['add', '200', 'extra'], { reason: 'x' }],
      ['suppressions', ['remove'], {}],
      ['suppressions', ['list'], { limit: 'lots' }],
      ['bots', ['add'], {}],
      ['bots', ['drop', '1'], {}],
      ['bots', [], {}],
    ] as const;
    for (const [list, args, options] of usage) {
      await expect(exclusionsCommand(context, list, args, options)).rejects.toThrow(`usage: ${list} `);
    }
  });
});

describe('the indexer CLI (PostgreSQL)', () => {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const run = async (databaseUrl: string, args: string[]) =>
    promisify(execFile)(
      process.execPath,
      ['--conditions=@attention-oracle/source', '--import', 'tsx', 'packages/indexer/src/cli.ts', ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('runs suppressions and bots commands, and exits 1 with the usage on a bad one', async () => {
    const pg = await createTestPostgres();
    try {
      expect(await run(pg.url, ['suppressions', 'add', '4242', '--reason', 'asked by email'])).toMatchObject({
        code: 0,
        stdout: 'suppressed 4242\n',
      });
      expect((await run(pg.url, ['suppressions', 'list'])).stdout).toMatch(/^4242\tasked by email\tcli\t\S+Z\n$/);
      const bad = await run(pg.url, ['bots', 'add']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('indexer: usage: bots add <userId> [login] | remove <userId> | list [--limit n]');
      const [row] = await pg.handle.query<{ actor: string; action: string }>(sql`select actor, action from audit_log`);
      expect(row).toEqual({ actor: 'cli', action: 'suppression.added' });
    } finally {
      await pg.drop();
    }
  }, 60_000);
});
