// HTTP 429 with Retry-After: the endpoint is left alone for that long (other endpoints take over meanwhile), a
// single endpoint is retried only once the delay passed, and a delay beyond the cap fails fast with the delay.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/rpc/classify-internal.js';
import { createRpcClient } from '../../src/rpc/rpc-client.js';
import { RpcError } from '../../src/rpc/rpc-error.js';
import { useFaultServers } from './servers.js';

const start = useFaultServers();

describe('Retry-After', () => {
  it('waits out the delay before asking the same endpoint again', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    server.answer('getSlot', { result: 1 }).inject({ kind: 'status', status: 429, retryAfter: '1' });
    const rpc = createRpcClient({ urls: [server.url], backoffBaseMs: 1 });
    expect(await rpc.call('getSlot')).toBe(1);
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    // Loose bounds: the point is "about a second", not timer precision.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(rpc.metrics().endpoints[0]?.errors['rate-limited']).toBe(1);
  });

  it('uses the other endpoint at once and keeps avoiding the limited one while the delay lasts', async () => {
    const [a, b] = await start(2);
    if (!a || !b) throw new Error('servers did not start');
    for (const server of [a, b]) server.answer('getSlot', { result: 2 });
    a.inject({ kind: 'status', status: 429, retryAfter: '5' });
    const rpc = createRpcClient({ urls: [a.url, b.url] });
    const started = Date.now();
    await rpc.call('getSlot');
    await rpc.call('getSlot');
    await rpc.call('getSlot');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect([a.requests.length, b.requests.length]).toEqual([1, 3]);
  });

  it('fails fast with the delay when it is longer than maxRetryAfterMs', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    server.answer('getSlot', { result: 3 }).inject({ kind: 'status', status: 429, retryAfter: '60' });
    const rpc = createRpcClient({ urls: [server.url], maxRetryAfterMs: 2_000 });
    const error = await rpc.call('getSlot').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ kind: 'rate-limited', retryable: true });
    expect((error as RpcError).retryAfterMs).toBeGreaterThan(50_000);
    expect(server.requests).toHaveLength(1);
  });

  it('reads delay seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
