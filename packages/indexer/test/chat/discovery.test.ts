import { afterEach, describe, expect, it, vi } from 'vitest';
import { discoverChannels } from '../../src/chat/discovery.js';
import { TwitchApiError } from '../../src/chat/twitch-api.js';
import { FakeHelixServer, fakeStream } from '../fake-helix-server.js';

const credentials = { clientId: 'test-client-id', clientSecret: 'test-client-secret' };
let helix: FakeHelixServer;

async function start(streams = Array.from({ length: 250 }, (_, n) => fakeStream(n))) {
  helix = await FakeHelixServer.start({ ...credentials, streams });
  return { ...credentials, helixBaseUrl: helix.helixBaseUrl, idBaseUrl: helix.idBaseUrl };
}

const streamRequests = () => helix.requests.filter((r) => r.path === '/helix/streams');

afterEach(async () => {
  await helix?.close();
});

describe('discoverChannels', () => {
  it('pages 100 at a time with a cursor until the limit', async () => {
    const options = await start();
    const proposals = await discoverChannels({ ...options, limit: 230 });
    expect(proposals).toHaveLength(230);
    expect(proposals[0]).toEqual({
      channelId: '1000',
      login: 'streamer_0',
      viewerCount: 100_000,
      language: 'de',
      startedAt: '2024-01-01T12:00:00.000Z',
    });
    expect(proposals.at(-1)?.login).toBe('streamer_229');
    expect(streamRequests().map((r) => [r.query.get('first'), r.query.has('after')])).toEqual([
      ['100', false],
      ['100', true],
      ['30', true],
    ]);
    expect(helix.requests[0]).toMatchObject({ method: 'POST', path: '/oauth2/token' });
  });

  it('stops at the last page when fewer streams are live than the limit', async () => {
    const options = await start();
    expect(await discoverChannels({ ...options, limit: 1000 })).toHaveLength(250);
    expect(streamRequests()).toHaveLength(3);
  });

  it('leaves out entries with an invalid login or user id, and repeats', async () => {
    const options = await start([
      fakeStream(1),
      fakeStream(2, { user_login: 'Not A Login' }),
      fakeStream(3, { user_id: '00' }),
      fakeStream(1),
      fakeStream(4, { user_login: 'MixedCase' }),
    ]);
    const proposals = await discoverChannels({ ...options, limit: 10 });
    expect(proposals.map((p) => p.login)).toEqual(['streamer_1', 'mixedcase']);
  });

  it('sends the bearer token and client id the fake checks, through the given fetch', async () => {
    const options = await start();
    const spy = vi.fn(fetch);
    await discoverChannels({ ...options, limit: 5, fetch: spy });
    expect(spy).toHaveBeenCalledTimes(2);
    const headers = spy.mock.calls[1]?.[1]?.headers as Record<string, string>;
    expect(headers['client-id']).toBe(credentials.clientId);
    expect(headers.authorization).toMatch(/^Bearer [0-9a-f]{32}$/);
  });

  it('fails clearly on bad credentials and HTTP errors, with the status and the start of the body', async () => {
    const options = await start();
    const badSecret = discoverChannels({ ...options, clientSecret: 'wrong', limit: 5 });
    await expect(badSecret).rejects.toThrow(/POST \/oauth2\/token failed: HTTP 403 .*invalid client secret/);
    await expect(badSecret).rejects.not.toThrow(/wrong/);

    helix.inject({ status: 500, body: '{"error":"Internal Server Error","message":"database on fire"}' });
    const failure = await discoverChannels({ ...options, limit: 5 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TwitchApiError);
    expect(failure).toMatchObject({
      status: 500,
      message: expect.stringMatching(/GET \/streams failed: HTTP 500 .*database on fire/),
    });

    helix.inject({ status: 200, body: '{"data":"nope"}' });
    await expect(discoverChannels({ ...options, limit: 5 })).rejects.toThrow(/unexpected body/);

    await expect(
      discoverChannels({ ...options, helixBaseUrl: `${options.idBaseUrl}/nowhere`, limit: 5 }),
    ).rejects.toThrow(/HTTP 404/);
    await expect(discoverChannels({ ...options, limit: 0 })).rejects.toThrow(/limit/);
  });

  it('waits once for Retry-After on a 429, then fails on a second 429', async () => {
    const options = await start();
    helix.inject({ status: 429, body: '{"message":"Too Many Requests"}', headers: { 'retry-after': '1' } });
    expect(await discoverChannels({ ...options, limit: 5 })).toHaveLength(5);
    expect(streamRequests()).toHaveLength(2);

    for (let i = 0; i < 2; i++)
      helix.inject({ status: 429, body: '{"message":"Too Many Requests"}', headers: { 'retry-after': '0' } });
    await expect(discoverChannels({ ...options, limit: 5 })).rejects.toThrow(/HTTP 429/);

    helix.inject({
      status: 429,
      body: '{}',
      headers: { 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) },
    });
    await expect(discoverChannels({ ...options, limit: 5, maxRetryAfterMs: 5000 })).rejects.toThrow(/HTTP 429/);
  });
});
