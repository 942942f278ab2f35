import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '@attention-oracle/db';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError, importPaidAmounts } from '../../src/epochs/index.js';
import { backends, useDatabase } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ao-paid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (lines: string[]) => {
  const path = join(dir, `${++files}-paid.csv`);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
};
const LEGACY = `legacy:${'3d'.repeat(32)}`;

describe.each(backends)('paid amount imports on %s', (_, open) => {
  const db = useDatabase(open);
  const stored = () =>
    db().query(
      sql`select viewer, amount::text as amount, source from paid_imports order by viewer collate "C", source`,
    );
  const offsets = () =>
    db().query(sql`select viewer, kind, amount::text as amount, remaining::text as remaining, reason, created_by
      from corrections order by viewer collate "C", reason`);
  it('imports viewer,amount,source once, recording legacy viewers; a second import is a no-op', async () => {
    const path = file([
      'viewer,amount,source',
      '100,18446744073709551615,v1-airdrop',
      `${LEGACY},5,v1-airdrop`,
      '100,7,v0',
    ]);
    const progress: number[] = [];
    expect(await importPaidAmounts(db(), path, { onProgress: (done) => progress.push(done) })).toEqual({
      rows: 3,
      inserted: 3,
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(await importPaidAmounts(db(), path)).toEqual({ rows: 3, inserted: 0 });
    expect(await stored()).toEqual([
      { viewer: '100', amount: '7', source: 'v0' },
      { viewer: '100', amount: '18446744073709551615', source: 'v1-airdrop' },
      { viewer: LEGACY, amount: '5', source: 'v1-airdrop' },
    ]);
    expect(await db().query(sql`select encode(login_hash, 'hex') as h from legacy_identities`)).toEqual([
      { h: '3d'.repeat(32) },
    ]);
    // Each new paid amount is an offset against future credit; the second import added none.
    const offset = (viewer: string, amount: string, source: string) => ({
      viewer,
      kind: 'offset',
      amount,
      remaining: amount,
      reason: `paid by ${source}`,
      created_by: 'import',
    });
    expect(await offsets()).toEqual([
      offset('100', '7', 'v0'),
      offset('100', '18446744073709551615', 'v1-airdrop'),
      offset(LEGACY, '5', 'v1-airdrop'),
    ]);
  });

  it("records the actor as the offsets' creator and adds offsets only for rows new to paid_imports", async () => {
    await importPaidAmounts(db(), file(['viewer,amount,source', '100,7,v0']), { actor: 'cli:alice' });
    await importPaidAmounts(db(), file(['viewer,amount,source', '100,7,v0', '101,2,v0']), { actor: 'cli:bob' });
    expect((await offsets()).map((o) => [o.viewer, o.amount, o.created_by])).toEqual([
      ['100', '7', 'cli:alice'],
      ['101', '2', 'cli:bob'],
    ]);
  });

  it('rejects a different amount for a (viewer, source) already imported, naming the line', async () => {
    await importPaidAmounts(db(), file(['viewer,amount,source', '100,7,v0']));
    const changed = file(['viewer,amount,source', '101,1,v0', '100,8,v0']);
    await expect(importPaidAmounts(db(), changed)).rejects.toThrow(`${changed}:3: v0 already recorded 7 for 100`);
    const twice = file(['viewer,amount,source', '102,1,v0', '102,2,v0']);
    await expect(importPaidAmounts(db(), twice)).rejects.toThrow(`${twice}:3: a different amount than line 2`);
    expect(await stored()).toEqual([{ viewer: '100', amount: '7', source: 'v0' }]);
    expect((await offsets()).map((o) => [o.viewer, o.amount])).toEqual([['100', '7']]);
  });

  it.each([
    [['viewer,amount'], 1, 'the header lacks column source'],
    [['viewer,amount,source', 'alice,1,v0'], 2, 'viewer must be a positive decimal id below 2^63, got "alice"'],
    [['viewer,amount,source', 'legacy:abc,1,v0'], 2, 'viewer must be a positive decimal id'],
    [['viewer,amount,source', '100,0,v0'], 2, 'amount must be a whole number of base units from 1 to 2^64-1, got "0"'],
    [['viewer,amount,source', '100,18446744073709551616,v0'], 2, 'amount must be a whole number'],
    [['viewer,amount,source', '100,1,'], 2, 'source must be 1-64 of [A-Za-z0-9_.:-], got ""'],
    [['viewer,amount,source', '100,1.5,v0'], 2, 'amount must be a whole number'],
  ])('rejects %j at line %i', async (lines, line, problem) => {
    const path = file(lines);
    const error = await importPaidAmounts(db(), path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toContain(`${path}:${line}: ${problem}`);
    expect(await stored()).toEqual([]);
    expect(await offsets()).toEqual([]);
  });
});
