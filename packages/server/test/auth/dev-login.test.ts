import { sql } from '@attention-oracle/db';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, useAuthDatabase } from './fixtures.js';
import { browse, CookieJar, type Harness, post, startHarness } from './harness.js';

describe.each(backends)('development login on %s', (_, open) => {
  const db = useAuthDatabase(open);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  it('logs in without Twitch credentials, marked dev', async () => {
    h = await startHarness({ db: db(), twitch: false });
    expect(h.auth.devLoginEnabled).toBe(true);
    const jar = new CookieJar();
    const response = await post(h, jar, '/auth/dev-login', { userId: '77', login: 'DevViewer' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ userId: '77', login: 'devviewer', dev: true });
    const me = await browse(jar, `${h.base}/auth/me`);
    expect(await me.json()).toMatchObject({ userId: '77', login: 'devviewer', dev: true });
    expect(await db().query(sql`select user_id::text as id, login from users`)).toEqual([
      { id: '77', login: 'devviewer' },
    ]);
    const twitch = await browse(jar, `${h.base}/auth/login`);
    expect(twitch.status).toBe(404);
    expect(await errorOf(twitch)).toMatchObject({ code: 'NOT_CONFIGURED' });
  });

  it('rejects bad input with a clear 400', async () => {
    h = await startHarness({ db: db(), twitch: false });
    const badId = await post(h, new CookieJar(), '/auth/dev-login', { userId: '-1', login: 'x' });
    expect(badId.status).toBe(400);
    expect((await errorOf(badId)).message).toMatch(/user id/);
    const badLogin = await post(h, new CookieJar(), '/auth/dev-login', { userId: '1', login: '#x y' });
    expect(badLogin.status).toBe(400);
    expect((await errorOf(badLogin)).message).toMatch(/login/);
    const notJson = await browse(new CookieJar(), `${h.base}/auth/dev-login`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('is refused with 403 in production', async () => {
    h = await startHarness({ db: db(), twitch: false, nodeEnv: 'production' });
    expect(h.auth.devLoginEnabled).toBe(false);
    const jar = new CookieJar();
    const response = await post(h, jar, '/auth/dev-login', { userId: '77', login: 'devviewer' });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({
      code: 'DEV_LOGIN_DISABLED',
      message: 'development login is disabled: NODE_ENV is production',
    });
    expect(jar.cookies.has('ao_session')).toBe(false);
  });

  it('is refused with 403 when Twitch credentials are configured', async () => {
    h = await startHarness({ db: db(), twitch: true });
    const response = await post(h, new CookieJar(), '/auth/dev-login', { userId: '77', login: 'devviewer' });
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toMatch(/Twitch login is configured/);
  });
});
