// The per-URL request-rate cap: callers wait their turn (FIFO) instead of failing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRpcClient } from '../../src/rpc/rpc-client.js';
import { TokenBucket } from '../../src/rpc/token-bucket.js';
import { useFaultServers } from './servers.js';

const start = useFaultServers();

describe('TokenBucket', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a burst through, then hands out tokens at the rate, in arrival order', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket(2, 2);
    const served: number[] = [];
    for (const n of [0, 1, 2, 3, 4]) void bucket.take().then(() => served.push(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(served).toEqual([0, 1]);
    expect(bucket.queued).toBe(3);
    await vi.advanceTimersByTimeAsync(499);
    expect(served).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(served).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(served).toEqual([0, 1, 2, 3, 4]);
    expect(bucket.queued).toBe(0);
  });

  it('refills while idle, up to the burst', async () => {
    vi.useFakeTimers();
    const bucket = new TokenBucket(10, 3);
    for (let i = 0; i < 3; i++) await bucket.take();
    await vi.advanceTimersByTimeAsync(10_000);
    let served = 0;
    for (let i = 0; i < 4; i++) void bucket.take().then(() => served++);
    await vi.advanceTimersByTimeAsync(0);
    expect(served).toBe(3); // only the burst was banked, not 10 s worth
    await vi.advanceTimersByTimeAsync(100);
    expect(served).toBe(4);
  });

  it('rejects nonsensical rates', () => {
    expect(() => new TokenBucket(0)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('the client rate cap', () => {
  it('queues calls beyond the cap and answers all of them', async () => {
    const [server] = await start(1);
    if (!server) throw new Error('server did not start');
    server.answer('getSlot', { result: 5 });
    const rpc = createRpcClient({ urls: [server.url], maxRequestsPerSecond: 5 });
    const results = await Promise.all(Array.from({ length: 12 }, () => rpc.call<number>('getSlot')));
    expect(results).toEqual(Array(12).fill(5));
    const times = server.requests.map((request) => request.at);
    // 5 at once, then 7 more at 5/s: about 1.4 s. Generous bounds keep this stable on a busy machine.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1_000);
    const [metrics] = rpc.metrics().endpoints;
    expect(metrics).toMatchObject({ requests: 12, successes: 12, queued: 0 });
    expect(metrics?.errors['rate-limited']).toBe(0);
    expect(metrics?.rateLimitWaitMs).toBeGreaterThan(1_000);
  });
});
