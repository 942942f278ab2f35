import { describe, expect, it } from 'vitest';
import { createRateLimiter, HttpError } from '../../src/auth/index.js';

describe('token-bucket rate limiter', () => {
  it('allows a burst, then refills at the configured rate, per key', () => {
    const clock = { ms: 1_000_000 };
    const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 0.5, now: () => clock.ms });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0, 2]);
    expect(limiter.take('b')).toBe(0);
    clock.ms += 1_000;
    expect(limiter.take('a')).toBe(1);
    clock.ms += 1_000;
    expect(limiter.take('a')).toBe(0);
    clock.ms += 3_600_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0, 2]);
  });

  it('throws a 429 HttpError with Retry-After', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 0.25, now: () => 0 });
    limiter.consume('ip:1', 'login');
    let caught: unknown;
    try {
      limiter.consume('ip:1', 'login');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect(caught).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', headers: { 'retry-after': '4' } });
    expect((caught as Error).message).toBe('too many login requests; retry in 4 s');
  });
});
