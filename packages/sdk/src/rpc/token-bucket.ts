import { sleep } from './sleep-internal.js';

/**
 * A request-rate cap: `ratePerSecond` tokens refill continuously up to `burst`; each request takes one. Callers that
 * find the bucket empty wait in FIFO order instead of failing, because an RPC provider's rate limit is a pace to keep,
 * not an error to report.
 *
 * @example
 * const bucket = new TokenBucket(10); // 10 requests per second, bursts of 10
 * await bucket.take(); // resolves at once, or when a token is available
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly #waiting: Array<() => void> = [];
  #tokens: number;
  #refilledAt: number;
  #draining = false;

  constructor(ratePerSecond: number, burst = Math.max(1, Math.floor(ratePerSecond))) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`ratePerSecond must be a positive finite number, got ${ratePerSecond}`);
    }
    if (!(burst >= 1)) throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.#tokens = burst;
    this.#refilledAt = Date.now();
  }

  /** How many callers are waiting for a token. */
  get queued(): number {
    return this.#waiting.length;
  }

  /**
   * Waits for a token and takes it.
   *
   * @example
   * await bucket.take();
   * await fetch(url); // at most `ratePerSecond` of these per second, on average
   */
  take(): Promise<void> {
    this.#refill();
    if (this.#waiting.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      void this.#drain();
    });
  }

  #refill(): void {
    const now = Date.now();
    const elapsed = Math.max(0, now - this.#refilledAt);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.ratePerSecond) / 1000);
    this.#refilledAt = now;
  }

  // One drain loop per bucket hands out tokens in arrival order as they refill.
  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#waiting.length > 0) {
        this.#refill();
        if (this.#tokens >= 1) {
          this.#tokens -= 1;
          this.#waiting.shift()?.();
        } else {
          await sleep(Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSecond));
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
