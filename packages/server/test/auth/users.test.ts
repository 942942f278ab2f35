import { legacyLoginKey, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { joinLegacyViewer, userOfViewer } from '@attention-oracle/indexer';
import { describe, expect, it } from 'vitest';
import { recordLogin } from '../../src/auth/users.js';
import { backends, useAuthDatabase } from './fixtures.js';

describe.each(backends)('recording logins on %s', (_, open) => {
  const db = useAuthDatabase(open);
  const legacy = `legacy:${toHex(legacyLoginKey('zowzrd'))}`;

  it('treats a viewer seen only in chat as a first login, then updates the login', async () => {
    await db().query(sql`insert into users (user_id, login) values (4242, 'oldname')`);
    expect(await recordLogin(db(), { userId: '4242', login: 'zowzrd', joinLegacy: true })).toEqual({
      firstLogin: true,
      movedLegacyCredit: 0n,
      legacyJoinSkipped: null,
    });
    expect(await userOfViewer(db().query, legacy)).toBe(4242n);
    const again = await recordLogin(db(), { userId: '4242', login: 'zowzrd2', joinLegacy: true });
    expect(again.firstLogin).toBe(false);
    expect(await userOfViewer(db().query, `legacy:${toHex(legacyLoginKey('zowzrd2'))}`)).toBeNull();
    expect(await db().query(sql`select login from users`)).toEqual([{ login: 'zowzrd2' }]);
  });

  it('skips the join, with the reason, when the login hash belongs to another user', async () => {
    await joinLegacyViewer(db(), { userId: 1n, loginHash: legacyLoginKey('zowzrd'), actor: 'test' });
    const recorded = await recordLogin(db(), { userId: '4242', login: 'zowzrd', joinLegacy: true });
    expect(recorded.firstLogin).toBe(true);
    expect(recorded.legacyJoinSkipped).toMatch(/already joined to user 1/);
    expect(await userOfViewer(db().query, legacy)).toBe(1n);
  });

  it('does not join when asked not to (development logins)', async () => {
    await recordLogin(db(), { userId: '4242', login: 'zowzrd', joinLegacy: false });
    expect(await userOfViewer(db().query, legacy)).toBeNull();
  });
});
