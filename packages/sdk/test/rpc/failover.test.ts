// Failover across a pool of fault servers, health ordering, and the per-endpoint metrics that record it.
import { describe, expect, it } from 'vitest';
import { createRpcClient } from '../../src/rpc/rpc-client.js';
import { deadUrl, useFaultServers } from './servers.js';

const start = useFaultServers();

describe('failover', () => {
  it('moves past a failing and a dropping endpoint to the third, then goes straight to the healthy one', async () => {
    const [a, b, c] = await start(3);
    if (!a || !b || !c) throw new Error('servers did not start');
    for (const server of [a, b, c]) server.answer('getSlot', { result: 42 });
    a.inject({ kind: 'status', status: 500 }, { times: Infinity });
    b.inject({ kind: 'drop' }, { times: Infinity });
    const rpc = createRpcClient({ urls: [a.url, b.url, c.url], backoffBaseMs: 1 });

    expect(await rpc.call<number>('getSlot')).toBe(42);
    expect([a.requests.length, b.requests.length, c.requests.length]).toEqual([1, 1, 1]);
    expect(await rpc.call<number>('getSlot')).toBe(42);
    expect([a.requests.length, b.requests.length, c.requests.length]).toEqual([1, 1, 2]);

    const [ma, mb, mc] = rpc.metrics().endpoints;
    expect(ma).toMatchObject({ endpoint: a.url, requests: 1, successes: 0, retries: 0, consecutiveFailures: 1 });
    expect(ma?.errors.server).toBe(1);
    expect(ma?.lastError).toMatchObject({ kind: 'server', method: 'getSlot', httpStatus: 500 });
    expect(mb).toMatchObject({ requests: 1, successes: 0, retries: 1 });
    expect(mb?.errors.network).toBe(1);
    expect(mc).toMatchObject({ requests: 2, successes: 2, retries: 1, consecutiveFailures: 0, lastError: null });
    expect(mc?.latencyMs.count).toBe(2);
    expect(mc?.latencyMs.buckets.at(-1)).toEqual({ le: Infinity, count: 2 });
  });

  it('survives an endpoint where nothing listens', async () => {
    const [live] = await start(1);
    if (!live) throw new Error('server did not start');
    live.answer('getHealth', { result: 'ok' });
    const rpc = createRpcClient({ urls: [await deadUrl(), live.url] });
    expect(await rpc.call('getHealth')).toBe('ok');
    expect(rpc.metrics().endpoints[0]?.errors.network).toBe(1);
  });

  it('probes a failed endpoint again once its cool-down passed, and prefers it when it recovered', async () => {
    const [a, b] = await start(2);
    if (!a || !b) throw new Error('servers did not start');
    for (const server of [a, b]) server.answer('getSlot', { result: 7 });
    a.inject({ kind: 'status', status: 503 });
    const rpc = createRpcClient({ urls: [a.url, b.url], backoffBaseMs: 1 });
    await rpc.call('getSlot'); // a fails, b answers
    await rpc.call('getSlot'); // a cools down: b
    expect([a.requests.length, b.requests.length]).toEqual([1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 700)); // the first cool-down is 500 ms
    await rpc.call('getSlot');
    await rpc.call('getSlot');
    expect([a.requests.length, b.requests.length]).toEqual([3, 2]);
    expect(rpc.metrics().endpoints[0]?.consecutiveFailures).toBe(0);
  });

  it('hides API keys in URLs from errors and metrics', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    server.inject({ kind: 'status', status: 401 });
    const rpc = createRpcClient({ urls: [`${server.url}/secret-token/?api-key=hunter2`] });
    expect(rpc.endpoints).toEqual([`${server.url}/***`]);
    const error = await rpc.call('getSlot').catch((e: unknown) => e);
    expect(String(error)).not.toMatch(/hunter2|secret-token/);
    expect(JSON.stringify(rpc.metrics())).not.toMatch(/hunter2|secret-token/);
  });

  it('sends a batch through the pool and returns item errors as results', async () => {
    const [a, b] = await start(2);
    if (!a || !b) throw new Error('servers did not start');
    a.inject({ kind: 'status', status: 502 });
    b.answer('getSlot', { result: 9 });
    const rpc = createRpcClient({ urls: [a.url, b.url] });
    const results = await rpc.batch([{ method: 'getSlot' }, { method: 'noSuchMethod', params: [] }]);
    expect(results[0]).toEqual({ ok: true, result: 9 });
    expect(results[1]).toMatchObject({ ok: false, error: { kind: 'invalid-request', code: -32601 } });
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0]?.methods).toEqual(['getSlot', 'noSuchMethod']);
  });
});
