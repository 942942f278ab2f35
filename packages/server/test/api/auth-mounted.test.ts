// The auth module mounted in the API server: a development login (no Twitch credentials) gives a session that
// /auth/me reads back, and the session's CSRF token is required for a wallet challenge.
import { createTestPglite } from '@attention-oracle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, testEnv } from '../helpers.js';

describe('auth routes in the API server', () => {
  let server: RunningServer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTestPglite();
    server = await startTestServer(db, testEnv());
    close = async () => {
      await server.close();
      await db.close();
    };
  });
  afterAll(() => close());

  it('logs in for development, reads the session back, and refuses a challenge without the CSRF token', async () => {
    const login = await fetch(`${server.url}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: '4242', login: 'some_viewer' }),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
    expect(cookies.some((c) => c?.startsWith('ao_session='))).toBe(true);
    const me = await fetch(`${server.url}/auth/me`, { headers: { cookie: cookies.join('; ') } });
    expect(await me.json()).toMatchObject({ userId: '4242', login: 'some_viewer', dev: true });
    const challenge = await fetch(`${server.url}/wallets/challenge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies.join('; ') },
      body: JSON.stringify({ wallet: '11111111111111111111111111111111' }),
    });
    expect(challenge.status).toBe(403);
  });
});
