import { type EndpointCounters, emptyCounters } from './metrics-internal.js';
import { TokenBucket } from './token-bucket.js';

/** One URL of the pool and what the client has learned about it. */
export interface EndpointState {
  readonly index: number;
  readonly url: string;
  /** The URL as it may appear in errors and metrics. */
  readonly label: string;
  readonly bucket: TokenBucket | undefined;
  readonly counters: EndpointCounters;
  consecutiveFailures: number;
  /** Hard: no request before this time (Unix ms), because the endpoint asked for it with Retry-After. */
  notBefore: number;
  /** Soft: after a failure the endpoint ranks behind healthy ones until this time, then it is probed again. */
  probeAfter: number;
}

const PROBE_BASE_MS = 500;
const PROBE_MAX_MS = 30_000;

/**
 * The URL without path, query or credentials: providers put API keys there (`/?api-key=`, `/<token>/`), and labels
 * end up in logs and Prometheus. Duplicates get their index appended so metrics stay per endpoint.
 */
export function endpointLabels(urls: readonly string[]): string[] {
  const labels = urls.map((url, index) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // The URL itself is not echoed: it may hold an API key.
      throw new TypeError(`RPC URL #${index} is not a valid URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new TypeError(`RPC URL #${index} must use http: or https:, got ${parsed.protocol}`);
    }
    const hidden = parsed.pathname !== '/' || parsed.search !== '' || parsed.username !== '' || parsed.password !== '';
    return `${parsed.protocol}//${parsed.host}${hidden ? '/***' : ''}`;
  });
  return labels.map((label, index) =>
    labels.indexOf(label) === labels.lastIndexOf(label) ? label : `${label}#${index}`,
  );
}

/** The pool's endpoint states, each with its own rate cap when `maxRequestsPerSecond` is set. */
export function createEndpoints(urls: readonly string[], maxRequestsPerSecond?: number): EndpointState[] {
  const labels = endpointLabels(urls);
  return urls.map((url, index) => {
    const label = labels[index] ?? url;
    return {
      index,
      url,
      label,
      bucket: maxRequestsPerSecond === undefined ? undefined : new TokenBucket(maxRequestsPerSecond),
      counters: emptyCounters(label),
      consecutiveFailures: 0,
      notBefore: 0,
      probeAfter: 0,
    };
  });
}

// 0: healthy or due for a probe; 1: recently failed; 2: asked us to wait (Retry-After).
function rank(endpoint: EndpointState, now: number): number {
  if (endpoint.notBefore > now) return 2;
  return endpoint.consecutiveFailures > 0 && endpoint.probeAfter > now ? 1 : 0;
}

/**
 * The endpoint for the next attempt and how long to wait before it. The healthiest endpoint not yet tried by this
 * request goes at once (failover costs no delay); once every ready endpoint was tried, the one that can be used
 * soonest goes after the jittered `backoffMs`, or after its Retry-After if that is later.
 */
export function chooseEndpoint(
  endpoints: readonly EndpointState[],
  tried: ReadonlySet<number>,
  now: number,
  backoffMs: number,
): { endpoint: EndpointState; waitMs: number } {
  // Within rank 0 the configured order decides, so a recovered preferred endpoint wins again after its probe.
  const ordered = [...endpoints].sort((a, b) => {
    const ra = rank(a, now);
    return ra - rank(b, now) || (ra === 0 ? 0 : a.consecutiveFailures - b.consecutiveFailures) || a.index - b.index;
  });
  const fresh = ordered.find((endpoint) => !tried.has(endpoint.index) && rank(endpoint, now) < 2);
  if (fresh !== undefined) return { endpoint: fresh, waitMs: 0 };
  let best: { endpoint: EndpointState; waitMs: number } | undefined;
  for (const endpoint of ordered) {
    const waitMs = Math.max(backoffMs, endpoint.notBefore - now);
    if (best === undefined || waitMs < best.waitMs) best = { endpoint, waitMs };
  }
  if (best === undefined) throw new RangeError('an RPC client needs at least one URL');
  return best;
}

/** The endpoint answered: it is healthy again. */
export function markHealthy(endpoint: EndpointState): void {
  endpoint.consecutiveFailures = 0;
  endpoint.probeAfter = 0;
}

/** A retryable failure: rank the endpoint behind healthy ones for a while that doubles with each failure. */
export function markFailed(endpoint: EndpointState, now: number, retryAfterMs: number | undefined): void {
  endpoint.consecutiveFailures += 1;
  endpoint.probeAfter = now + Math.min(PROBE_MAX_MS, PROBE_BASE_MS * 2 ** (endpoint.consecutiveFailures - 1));
  if (retryAfterMs !== undefined) endpoint.notBefore = Math.max(endpoint.notBefore, now + retryAfterMs);
}
