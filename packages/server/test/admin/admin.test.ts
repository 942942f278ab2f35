// Every admin procedure over HTTP (tRPC with a bearer key, some over REST) without a chain, on both database backends:
// what it answers, what it changes, and the audit row each change writes with the key as actor.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { bindWallet, raiseAlarm, watchExclusions } from '@attention-oracle/indexer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, insertEvents, useDatabase } from '../../../indexer/test/epochs/fixtures.js';
import type { RunningServer } from '../../src/server.js';
import { codeOf, startTestServer, storeRoot, wallet } from '../helpers.js';
import { adminClient, auditRows, keyFor, resetAdminTables } from './fixtures.js';

const ACTOR = 'api-key:ops';

/** The audit rows admin calls wrote (keys created by the tests are audited as 'test'). */
async function adminAudit(db: DatabaseHandle) {
  return (await auditRows(db)).filter((r) => r.actor !== 'test');
}

describe.each(backends)('admin procedures on %s', (_name, open) => {
  const db = useDatabase(open, resetAdminTables);
  let server: RunningServer;
  let key = '';
  let client: ReturnType<typeof adminClient>;
  beforeAll(async () => {
    server = await startTestServer(db());
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    key = await keyFor(db(), 'ops', ['admin']);
    client = adminClient(server.url, key);
  });
  const rest = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });

  it('channels: enable (opt in), list with the opt-in and last event, disable', async () => {
    expect(await client.admin.channels.enable.mutate({ logins: ['Alpha', 'beta'] })).toEqual({
      enabled: ['alpha', 'beta'],
    });
    expect(await client.admin.channels.enable.mutate({ logins: ['alpha'] })).toEqual({ enabled: [] });
    await db().query(sql`update channels set channel_id = 11 where login = 'alpha'`);
    const now = Date.now();
    const epoch = Math.floor(now / 1000 / 3600) * 3600;
    await insertEvents(db(), [{ id: 1, kind: 'message', channel: 11, epoch, at: 5_000 }]);
    await db().query(sql`insert into channels (login, proposed_at, viewer_count) values ('gamma', now(), 42)`);

    const { channels } = await client.admin.channels.list.query({});
    expect(channels.map((c) => [c.login, c.enabled, c.enabledBy, c.channelId])).toEqual([
      ['alpha', true, ACTOR, '11'],
      ['beta', true, ACTOR, null],
      ['gamma', false, null, null],
    ]);
    expect(channels[0]?.lastEventAt).toBe(new Date(epoch * 1000 + 5_000).toISOString());
    expect(channels[1]?.lastEventAt).toBeNull();
    expect(channels[0]?.enabledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(channels[2]).toMatchObject({ viewerCount: 42, enabledAt: null });
    expect(channels[2]?.proposedAt).not.toBeNull();

    expect(await client.admin.channels.disable.mutate({ login: 'Beta' })).toEqual({ login: 'beta', enabled: false });
    expect(await codeOf(client.admin.channels.disable.mutate({ login: 'nobody' }))).toBe('NOT_FOUND');
    const enabled = await rest('/v1/admin/channels?status=enabled&limit=10');
    expect(enabled.status).toBe(200);
    expect(((await enabled.json()) as { channels: { login: string }[] }).channels.map((c) => c.login)).toEqual([
      'alpha',
    ]);
    const page = await client.admin.channels.list.query({ after: 'alpha', limit: 1 });
    expect(page.channels.map((c) => c.login)).toEqual(['beta']);
    expect(await adminAudit(db())).toEqual([
      { actor: ACTOR, action: 'channels.enable', subject: 'alpha,beta' },
      { actor: ACTOR, action: 'channels.disable', subject: 'beta' },
    ]);
  });

  it('suppressions: add, list and remove, seen by the collectors', async () => {
    expect(await client.admin.suppressions.add.mutate({ userId: '200', reason: 'asked by email' })).toMatchObject({
      added: true,
      suppression: { userId: '200', reason: 'asked by email', createdBy: ACTOR },
    });
    const again = await client.admin.suppressions.add.mutate({ userId: '200', reason: 'twice' });
    expect(again).toMatchObject({ added: false, suppression: { reason: 'asked by email' } });
    const viaRest = await rest('/v1/admin/suppressions', {
      method: 'POST',
      body: JSON.stringify({ userId: '9000000000', reason: 'ticket 7' }),
    });
    expect(viaRest.status).toBe(200);
    const watcher = await watchExclusions(db());
    expect(['200', '9000000000', '300'].map(watcher.isExcluded)).toEqual([true, true, false]);
    watcher.stop();

    const listed = await client.admin.suppressions.list.query({});
    expect(listed.suppressions.map((s) => s.userId)).toEqual(['200', '9000000000']);
    expect((await client.admin.suppressions.list.query({ after: '200' })).suppressions).toHaveLength(1);

    const removed = await rest('/v1/admin/suppressions/200', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as { removed: { userId: string } }).removed.userId).toBe('200');
    expect(await codeOf(client.admin.suppressions.remove.mutate({ userId: '200' }))).toBe('NOT_FOUND');
    expect((await rest('/v1/admin/suppressions/0', { method: 'DELETE' })).status).toBe(400);
    expect(await codeOf(client.admin.suppressions.add.mutate({ userId: '9223372036854775808', reason: 'x' }))).toBe(
      'BAD_REQUEST',
    );
    const after = await watchExclusions(db());
    expect(after.isExcluded('200')).toBe(false);
    after.stop();
    expect(await adminAudit(db())).toEqual([
      { actor: ACTOR, action: 'suppression.added', subject: '200' },
      { actor: ACTOR, action: 'suppression.added', subject: '9000000000' },
      { actor: ACTOR, action: 'suppression.removed', subject: '200' },
    ]);
  });

  it('bots: add, list and remove, seen by the collectors', async () => {
    const added = await rest('/v1/admin/bots', {
      method: 'POST',
      body: JSON.stringify({ userId: '300', login: 'StreamElements' }),
    });
    expect(await added.json()).toMatchObject({ added: true, bot: { userId: '300', login: 'streamelements' } });
    expect(await client.admin.bots.add.mutate({ userId: '301' })).toMatchObject({ added: true, bot: { login: null } });
    const watcher = await watchExclusions(db());
    expect(watcher.isExcluded('300')).toBe(true);
    watcher.stop();
    expect((await client.admin.bots.list.query({ limit: 5 })).bots.map((b) => [b.userId, b.login])).toEqual([
      ['300', 'streamelements'],
      ['301', null],
    ]);
    expect(await client.admin.bots.remove.mutate({ userId: '301' })).toMatchObject({ removed: { userId: '301' } });
    expect(await codeOf(client.admin.bots.remove.mutate({ userId: '301' }))).toBe('NOT_FOUND');
    expect(await adminAudit(db())).toEqual([
      { actor: ACTOR, action: 'bot.added', subject: '300' },
      { actor: ACTOR, action: 'bot.added', subject: '301' },
      { actor: ACTOR, action: 'bot.removed', subject: '301' },
    ]);
  });

  it('corrections: add a credit (to the bound wallet) and an offset, list them; refusals are 400s', async () => {
    await bindWallet(db(), { userId: 1001n, wallet: wallet(1).bytes, via: 'admin', actor: 'test' });
    expect(await client.admin.corrections.add.mutate({ viewer: '1001', amount: '500', reason: 'missed raid' })).toEqual(
      {
        correctionId: 1,
        kind: 'credit',
        wallet: wallet(1).base58,
      },
    );
    const offset = await rest('/v1/admin/corrections', {
      method: 'POST',
      body: JSON.stringify({ viewer: '1002', amount: '-70', reason: 'double-counted' }),
    });
    expect(await offset.json()).toEqual({ correctionId: 2, kind: 'offset', wallet: null });
    const [total] = await db().query<{ total: string }>(sql`select total::text as total from wallet_totals`);
    expect(total?.total).toBe('500');

    const list = await client.admin.corrections.list.query({});
    expect(list.corrections.map((c) => [c.id, c.viewer, c.kind, c.amount, c.remaining, c.createdBy])).toEqual([
      [2, '1002', 'offset', '70', '70', ACTOR],
      [1, '1001', 'credit', '500', '0', ACTOR],
    ]);
    expect((await client.admin.corrections.list.query({ viewer: '1001' })).corrections).toHaveLength(1);
    expect((await client.admin.corrections.list.query({ before: 2 })).corrections.map((c) => c.id)).toEqual([1]);

    expect(await codeOf(client.admin.corrections.add.mutate({ viewer: '1001', amount: '0', reason: 'x' }))).toBe(
      'BAD_REQUEST',
    );
    // Beyond a u64: refused by the ledger, whose message the caller sees.
    const tooBig = await rest('/v1/admin/corrections', {
      method: 'POST',
      body: JSON.stringify({ viewer: '1001', amount: '99999999999999999999', reason: 'x' }),
    });
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as { message: string }).message).toContain('correction amount must be');
    expect(await adminAudit(db())).toEqual([
      { actor: ACTOR, action: 'correction.credit', subject: '1001' },
      { actor: ACTOR, action: 'correction.offset', subject: '1002' },
    ]);
  });

  it('claims: list by wallet and status, one by id, the audit rows and chain claims of a wallet', async () => {
    const w = wallet(1);
    await bindWallet(db(), { userId: 1001n, wallet: w.bytes, via: 'admin', actor: 'test' });
    await db().query(sql`insert into claims (wallet, amount, fee, total, paid_before, status, signature, slot)
      values (${w.bytes}, 100, 1, 100, 0, 'settled', 'sig-1', 10),
             (${w.bytes}, 50, null, 150, 100, 'reserved', null, null),
             (${wallet(2).bytes}, 70, null, 70, 0, 'failed', 'sig-3', null)`);
    await db().query(sql`insert into audit_log (actor, action, subject, details)
      values ('claim-reconcile', 'claim.settled', 'claim 1', jsonb_build_object('claimId', 1, 'wallet', ${Buffer.from(w.bytes).toString('hex')}::text)),
             ('claim-reconcile', 'claim.failed', 'claim 3', jsonb_build_object('claimId', 3, 'wallet', 'other'))`);
    await db().query(sql`insert into chain_claims (signature, event_index, claimer, amount, cumulative_total, root_seq,
        slot, block_time)
      values ('chain-sig-1', 0, ${w.bytes}, 40, 40, 1, 100, now()), ('chain-sig-2', 0, ${w.bytes}, 60, 100, 2, 200, null),
             ('chain-sig-3', 0, ${wallet(2).bytes}, 5, 5, 2, 300, null)`);

    const mine = await client.admin.claims.list.query({ wallet: w.base58 });
    expect(mine.claims.map((c) => [c.id, c.status, c.amount, c.wallet])).toEqual([
      [2, 'reserved', '50', w.base58],
      [1, 'settled', '100', w.base58],
    ]);
    expect((await client.admin.claims.list.query({ status: 'failed' })).claims.map((c) => c.id)).toEqual([3]);
    const one = await rest('/v1/admin/claims/1');
    expect(await one.json()).toMatchObject({ id: 1, status: 'settled', fee: '1', signature: 'sig-1', slot: 10 });
    expect(await codeOf(client.admin.claims.get.query({ id: 99 }))).toBe('NOT_FOUND');
    expect(await codeOf(client.admin.claims.list.query({ wallet: 'x'.repeat(32) }))).toBe('BAD_REQUEST');

    const audit = await client.admin.claims.audit.query({ wallet: w.base58 });
    expect(audit.entries.map((e) => e.action)).toEqual(['claim.settled', 'wallet.bound']);
    expect(audit.entries[1]?.details).toMatchObject({ wallet: w.base58, via: 'admin' });
    const chain = await rest(`/v1/admin/claims/wallet/${w.base58}/chain?limit=10`);
    const chainClaims = ((await chain.json()) as { claims: { signature: string; cumulativeTotal: string }[] }).claims;
    expect(chainClaims.map((c) => [c.signature, c.cumulativeTotal])).toEqual([
      ['chain-sig-2', '100'],
      ['chain-sig-1', '40'],
    ]);
  });

  it('api keys: create (the secret answered once), list without secrets, revoke', async () => {
    const created = await client.admin.apiKeys.create.mutate({ name: 'dashboard', scopes: ['read', 'claims'] });
    expect(created.key).toMatch(/^ao_[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const dashboard = adminClient(server.url, created.key);
    expect((await dashboard.admin.claims.list.query({})).claims).toEqual([]);

    const listed = await rest('/v1/admin/api-keys');
    const text = await listed.text();
    expect(text).not.toContain(created.key.slice(12));
    const keys = (JSON.parse(text) as { keys: { name: string; scopes: string[]; createdBy: string }[] }).keys;
    expect(keys.map((k) => [k.name, k.scopes, k.createdBy])).toEqual([
      ['ops', ['admin'], 'test'],
      ['dashboard', ['read', 'claims'], ACTOR],
    ]);
    expect(await client.admin.apiKeys.revoke.mutate({ key: created.prefix })).toEqual({ revoked: true });
    expect(await codeOf(dashboard.admin.claims.list.query({}))).toBe('UNAUTHORIZED');
    expect(await codeOf(client.admin.apiKeys.revoke.mutate({ key: created.id }))).toBe('NOT_FOUND');
    expect(await codeOf(client.admin.apiKeys.create.mutate({ name: 'x', scopes: [] }))).toBe('BAD_REQUEST');
    expect(await adminAudit(db())).toEqual([
      { actor: ACTOR, action: 'api-key.created', subject: created.prefix },
      { actor: ACTOR, action: 'api-key.revoked', subject: created.prefix },
    ]);
  });

  it('audit: recent rows filtered by action (or an action prefix) and actor, a page at a time', async () => {
    await client.admin.bots.add.mutate({ userId: '1' });
    await client.admin.bots.add.mutate({ userId: '2' });
    await client.admin.suppressions.add.mutate({ userId: '3', reason: 'x' });
    await client.admin.bots.remove.mutate({ userId: '1' });
    const all = await client.admin.audit.list.query({ actor: ACTOR });
    expect(all.entries.map((e) => `${e.action} ${e.subject}`)).toEqual([
      'bot.removed 1',
      'suppression.added 3',
      'bot.added 2',
      'bot.added 1',
    ]);
    expect(all.entries[1]?.details).toEqual({ reason: 'x' });
    const added = await client.admin.audit.list.query({ action: 'bot.added', limit: 1 });
    expect(added.entries.map((e) => e.subject)).toEqual(['2']);
    const next = await client.admin.audit.list.query({ action: 'bot.added', before: added.entries[0]?.id });
    expect(next.entries.map((e) => e.subject)).toEqual(['1']);
    const prefix = await rest('/v1/admin/audit?action=bot.');
    expect(((await prefix.json()) as { entries: unknown[] }).entries).toHaveLength(3);
    expect((await client.admin.audit.list.query({ actor: 'test' })).entries.map((e) => e.action)).toEqual([
      'api-key.created',
    ]);
  });

  it('roots: lists the stored roots with the active alarms; build and publish need a chain', async () => {
    await storeRoot(db(), { seq: 1n, amounts: new Map([[1, 10n]]) });
    await storeRoot(db(), { seq: 2n, amounts: new Map([[1, 20n]]), status: 'built' });
    await raiseAlarm(db().query, 'root-publish', 'publish stuck');
    const { roots, alarms } = await client.admin.roots.list.query({});
    expect(roots.map((r) => [r.id, r.seq, r.status, r.total])).toEqual([
      [2, '2', 'built', '20'],
      [1, '1', 'published', '10'],
    ]);
    expect(roots[0]?.root).toMatch(/^[0-9a-f]{64}$/);
    expect(alarms).toEqual([{ name: 'root-publish', message: 'publish stuck', raisedAt: expect.any(String) }]);
    for (const call of [client.admin.roots.build.mutate(), client.admin.roots.publish.mutate({})]) {
      expect(await codeOf(call)).toBe('PRECONDITION_FAILED');
    }
    const res = await rest('/v1/admin/roots/build', { method: 'POST', body: '{}' });
    expect(res.status).toBe(412);
    expect(((await res.json()) as { message: string }).message).toBe(
      'no chain configured: roots are built and published against the chain (set SOLANA_RPC_URL)',
    );
    expect(await adminAudit(db())).toEqual([]);
  });
});
