/**
 * Resolves after `ms` milliseconds, or as soon as `signal` aborts (it never rejects: callers check
 * `signal.aborted` afterwards and fail in their own terms).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A jittered exponential delay before retry number `retry` (1 for the first retry): half of the exponential step is
 * fixed and half random ("equal jitter"), so retries never fire back to back yet callers that failed together spread.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return step / 2 + random() * (step / 2);
}
