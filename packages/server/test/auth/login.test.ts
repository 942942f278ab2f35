import { legacyLoginKey, toHex } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { bindWallet, creditSealedEpochs, userOfViewer } from '@attention-oracle/indexer';
import { afterEach, describe, expect, it } from 'vitest';
import { E, sealWith, totalOf, wallet } from '../../../indexer/test/ledger/fixtures.js';
import { backends, useAuthDatabase } from './fixtures.js';
import { browse, CookieJar, type Harness, loginWithTwitch, post, startHarness, startLogin } from './harness.js';

describe.each(backends)('Twitch login on %s', (_, open) => {
  const db = useAuthDatabase(open);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const start = async (rateLimits?: Parameters<typeof startHarness>[0]['rateLimits']) => {
    h = await startHarness({ db: db(), twitch: true, ...(rateLimits ? { rateLimits } : {}) });
    return h;
  };
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  it('logs in through the issuer and Helix, revokes the token and sets an httpOnly SameSite=Lax session', async () => {
    const h = await start();
    const jar = new CookieJar();
    const callbackUrl = await startLogin(h, jar);
    expect(callbackUrl.pathname).toBe('/auth/callback');
    const callback = await browse(jar, callbackUrl);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/');
    const setCookies = callback.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('ao_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(setCookies.find((c) => c.startsWith('ao_oidc='))).toMatch(/Max-Age=0/);
    expect(jar.cookies.has('ao_oidc')).toBe(false);
    expect(h.calls).toEqual(['token', 'helix:ok', 'revoke']);

    const me = await browse(jar, `${h.base}/auth/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: '4242', login: 'zowzrd', dev: false });
    const rows = await db().query(sql`select user_id::text as id, login, last_login_at is not null as seen from users`);
    expect(rows).toEqual([{ id: '4242', login: 'zowzrd', seen: true }]);
  });

  it('sends state, nonce and an S256 PKCE challenge with scope openid, in a signed SameSite=Lax cookie', async () => {
    const h = await start();
    const login = await fetch(`${h.base}/auth/login`, { redirect: 'manual' });
    const target = new URL(login.headers.get('location') ?? '');
    expect(target.origin + target.pathname).toBe(`${h.oauth.issuer.url}/authorize`);
    expect(target.searchParams.get('scope')).toBe('openid');
    expect(target.searchParams.get('code_challenge_method')).toBe('S256');
    expect(target.searchParams.get('state')).toMatch(/^[\w-]{32}$/);
    expect(target.searchParams.get('nonce')).toMatch(/^[\w-]{32}$/);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('ao_oidc=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toContain(target.searchParams.get('state'));
  });

  it('joins legacy data under the login hash at the first login', async () => {
    const legacy = `legacy:${toHex(legacyLoginKey('zowzrd'))}`;
    await sealWith(db(), E, { [legacy]: 10n });
    await creditSealedEpochs(db());
    const w = wallet(1);
    await bindWallet(db(), { userId: 4242n, wallet: w, via: 'signature', actor: 'test' });
    expect(await totalOf(db(), w)).toBe(0n);
    const h = await start();
    expect((await loginWithTwitch(h, new CookieJar())).status).toBe(302);
    expect(await userOfViewer(db().query, legacy)).toBe(4242n);
    expect(await totalOf(db(), w)).toBe(10n);
  });

  it('rejects a tampered state parameter, a tampered cookie and a missing cookie', async () => {
    const h = await start();
    const jar = new CookieJar();
    const url = await startLogin(h, jar);
    const forged = new URL(url);
    forged.searchParams.set('state', 'forged-state');
    const wrongState = await browse(jar, forged);
    expect(wrongState.status).toBe(400);
    expect(await errorOf(wrongState)).toMatchObject({ code: 'STATE_INVALID' });

    const value = jar.cookies.get('ao_oidc') ?? '';
    const tampered = new CookieJar();
    tampered.cookies.set('ao_oidc', `${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`);
    const badCookie = await browse(tampered, url);
    expect(badCookie.status).toBe(400);
    expect((await errorOf(badCookie)).message).toMatch(/tampered/);

    const noCookie = await browse(new CookieJar(), url);
    expect(noCookie.status).toBe(400);
    expect(jar.cookies.has('ao_session')).toBe(false);
    expect(h.calls).toEqual([]);
  });

  it.each([
    ['a wrong nonce', (p: Record<string, unknown>) => Object.assign(p, { nonce: 'forged' }), /nonce/],
    ['a wrong audience', (p: Record<string, unknown>) => Object.assign(p, { aud: 'another-client' }), /aud/],
    ['an expired id_token', (p: Record<string, unknown>) => Object.assign(p, { exp: (p.iat as number) - 600 }), /exp/],
    ['a foreign issuer', (p: Record<string, unknown>) => Object.assign(p, { iss: 'https://evil.example' }), /iss/],
  ])('rejects %s, and still revokes the token', async (_, edit, message) => {
    const h = await start();
    h.editToken = edit;
    const jar = new CookieJar();
    const response = await loginWithTwitch(h, jar);
    expect(response.status).toBe(401);
    const error = await errorOf(response);
    expect(error.code).toBe('ID_TOKEN_INVALID');
    expect(error.message).toMatch(message);
    expect(jar.cookies.has('ao_session')).toBe(false);
    expect(h.calls).toEqual(['token', 'revoke']);
    expect(await db().query(sql`select 1 from users`)).toEqual([]);
  });

  it('logs out only with the CSRF token', async () => {
    const h = await start();
    const jar = new CookieJar();
    await loginWithTwitch(h, jar);
    const missing = await post(h, jar, '/auth/logout', {}, null);
    expect(missing.status).toBe(403);
    expect(await errorOf(missing)).toMatchObject({ code: 'CSRF_FAILED' });
    const wrong = await post(h, jar, '/auth/logout', {}, 'not-the-token');
    expect(wrong.status).toBe(403);
    expect((await browse(jar, `${h.base}/auth/me`)).status).toBe(200);
    const ok = await post(h, jar, '/auth/logout', {});
    expect(ok.status).toBe(200);
    expect((await browse(jar, `${h.base}/auth/me`)).status).toBe(401);
  });

  it('rate-limits completed logins per viewer, still revoking the token', async () => {
    const h = await start({ loginPerViewer: { capacity: 1, refillPerSecond: 0.01 } });
    expect((await loginWithTwitch(h, new CookieJar())).status).toBe(302);
    const jar = new CookieJar();
    const limited = await loginWithTwitch(h, jar);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('100');
    expect(jar.cookies.has('ao_session')).toBe(false);
    expect(h.calls).toEqual(['token', 'helix:ok', 'revoke', 'token', 'revoke']);
    h.identity = { userId: '4343', login: 'someone_else' };
    expect((await loginWithTwitch(h, new CookieJar())).status).toBe(302);
  });

  it('rate-limits login per IP with 429 and Retry-After', async () => {
    const h = await start({ loginPerIp: { capacity: 2, refillPerSecond: 0.1 } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await fetch(`${h.base}/auth/login`, { redirect: 'manual' })).status);
    expect(codes).toEqual([302, 302, 429]);
    const limited = await fetch(`${h.base}/auth/callback?code=x&state=y`, { redirect: 'manual' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(await errorOf(limited)).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    h.clock.ms += 10_000;
    expect((await fetch(`${h.base}/auth/login`, { redirect: 'manual' })).status).toBe(302);
  });
});
