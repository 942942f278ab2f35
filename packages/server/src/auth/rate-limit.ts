// An in-memory token-bucket limiter keyed by strings (per IP, per viewer); one process only.
import { HttpError } from '../http.js';

/** Bucket size and refill. */
export interface RateLimitOptions {
  /** Requests allowed in a burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
  /** Clock in ms; Date.now by default. */
  readonly now?: () => number;
}

/** A keyed token bucket. */
export interface RateLimiter {
  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number;
  /** Takes one token or throws a 429 HttpError with Retry-After. */
  consume(key: string, what: string): void;
}

/**
 * A token-bucket limiter. Buckets that are full again are dropped, so memory follows the active keys.
 *
 * @example const limit = createRateLimiter({ capacity: 10, refillPerSecond: 0.2 }); limit.consume(`ip:${ip}`, 'login');
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  let sweptAt = now();
  const take = (key: string): number => {
    const t = now();
    if (t - sweptAt > 60_000) {
      for (const [k, b] of buckets) {
        if (b.tokens + ((t - b.at) / 1000) * options.refillPerSecond >= options.capacity) buckets.delete(k);
      }
      sweptAt = t;
    }
    const bucket = buckets.get(key) ?? { tokens: options.capacity, at: t };
    bucket.tokens = Math.min(options.capacity, bucket.tokens + ((t - bucket.at) / 1000) * options.refillPerSecond);
    bucket.at = t;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / options.refillPerSecond));
  };
  return {
    take,
    consume(key, what) {
      const wait = take(key);
      if (wait > 0) {
        throw new HttpError(429, 'TOO_MANY_REQUESTS', `too many ${what} requests; retry in ${wait} s`, {
          'retry-after': String(wait),
        });
      }
    },
  };
}
