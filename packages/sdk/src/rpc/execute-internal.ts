import type { EndpointState } from './endpoint-pool-internal.js';
import { chooseEndpoint, markFailed, markHealthy } from './endpoint-pool-internal.js';
import { type AttemptFailure, attempt } from './http-attempt-internal.js';
import { countError, observeLatency } from './metrics-internal.js';
import { isRetryableRpcErrorKind, RpcError } from './rpc-error.js';
import { backoffDelay, sleep } from './sleep-internal.js';

/** The retry policy and transport shared by every request of one client. */
export interface ExecutorConfig {
  endpoints: readonly EndpointState[];
  fetch: typeof globalThis.fetch;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxRetryAfterMs: number;
}

/** Per-request overrides. */
export interface ExecuteOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/**
 * An answer the endpoint gave. `failure` is set when the body itself is a JSON-RPC error: a final one (returned at
 * once) or a retryable one that persisted through every retry. Callers decide how to surface it.
 */
export interface Answer {
  endpoint: EndpointState;
  body: unknown;
  text: string;
  attempts: number;
  failure?: AttemptFailure;
}

/** Reads a parsed body: undefined when it is a usable answer, else why it is not. */
export type BodyInspector = (body: unknown) => AttemptFailure | undefined;

/** The typed error for `failure` on `endpoint`. */
export function toRpcError(failure: AttemptFailure, endpoint: string, method: string, attempts: number): RpcError {
  const { message, cause, ...context } = failure;
  return new RpcError(message, { ...context, endpoint, method, attempts }, cause === undefined ? undefined : { cause });
}

/**
 * Sends `payload` through the pool: healthiest endpoint first, failover on retryable failures, jittered backoff once
 * every endpoint was tried, Retry-After honored (up to `maxRetryAfterMs`), the per-URL rate cap awaited. Throws an
 * {@link RpcError} for transport failures that are final or persisted; JSON-RPC errors come back in the answer.
 */
export async function execute(
  config: ExecutorConfig,
  payload: string,
  method: string,
  inspect: BodyInspector,
  options: ExecuteOptions = {},
): Promise<Answer> {
  const { signal } = options;
  const tried = new Set<number>();
  let last: { endpoint: EndpointState; failure: AttemptFailure; answer?: Answer } | undefined;
  for (let retry = 0; retry <= config.retries; retry++) {
    const backoffMs = retry === 0 ? 0 : backoffDelay(retry, config.backoffBaseMs, config.backoffMaxMs);
    const { endpoint, waitMs } = chooseEndpoint(config.endpoints, tried, Date.now(), backoffMs);
    if (waitMs > config.maxRetryAfterMs) {
      // Waiting that long inside one call would look like a hang; the caller gets the delay and decides.
      const message = `every endpoint asked to wait; the next is free in ${Math.ceil(waitMs)} ms`;
      throw toRpcError({ kind: 'rate-limited', message, retryAfterMs: waitMs }, endpoint.label, method, retry);
    }
    await sleep(waitMs, signal);
    const queuedAt = Date.now();
    await endpoint.bucket?.take();
    endpoint.counters.rateLimitWaitMs += Date.now() - queuedAt;
    if (signal?.aborted)
      throw toRpcError({ kind: 'aborted', message: 'aborted by the caller' }, endpoint.label, method, retry);

    tried.add(endpoint.index);
    endpoint.counters.requests += 1;
    if (retry > 0) endpoint.counters.retries += 1;
    const outcome = await attempt({
      fetch: config.fetch,
      url: endpoint.url,
      body: payload,
      headers: config.headers,
      timeoutMs: options.timeoutMs ?? config.timeoutMs,
      signal,
    });
    observeLatency(endpoint.counters, outcome.latencyMs);
    let answer: Answer | undefined;
    let failure: AttemptFailure | undefined;
    if (outcome.ok) {
      answer = { endpoint, body: outcome.body, text: outcome.text, attempts: retry + 1 };
      failure = inspect(outcome.body);
      if (failure === undefined) {
        endpoint.counters.successes += 1;
        markHealthy(endpoint);
        return answer;
      }
    } else {
      failure = outcome.failure;
    }
    countError(endpoint.counters, { ...summary(failure), method, at: Date.now() });
    if (!isRetryableRpcErrorKind(failure.kind)) {
      if (answer === undefined) throw toRpcError(failure, endpoint.label, method, retry + 1);
      // A final JSON-RPC error is a sound answer from a healthy endpoint.
      markHealthy(endpoint);
      return { ...answer, failure };
    }
    markFailed(endpoint, Date.now(), failure.retryAfterMs);
    last = { endpoint, failure, ...(answer === undefined ? {} : { answer: { ...answer, failure } }) };
  }
  if (last === undefined) throw new RangeError('retries must be at least 0');
  if (last.answer !== undefined) return last.answer;
  throw toRpcError(last.failure, last.endpoint.label, method, config.retries + 1);
}

function summary(failure: AttemptFailure) {
  const { kind, message, code, httpStatus } = failure;
  return {
    kind,
    message,
    ...(code === undefined ? {} : { code }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  };
}
