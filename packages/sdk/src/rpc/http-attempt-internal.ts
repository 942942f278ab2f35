import { classifyHttpStatus, parseRetryAfter } from './classify-internal.js';
import type { RpcErrorKind } from './rpc-error.js';

/** Why one attempt failed, before it becomes an {@link RpcError}. */
export interface AttemptFailure {
  kind: RpcErrorKind;
  message: string;
  code?: number;
  data?: unknown;
  httpStatus?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/** One attempt's result: the parsed JSON body and its text, or why there is none. */
export type AttemptOutcome =
  | { ok: true; body: unknown; text: string; latencyMs: number }
  | { ok: false; failure: AttemptFailure; latencyMs: number };

/** What one attempt needs. */
export interface AttemptRequest {
  fetch: typeof globalThis.fetch;
  url: string;
  body: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici hides the socket error (ECONNREFUSED, ECONNRESET, "other side closed") in `cause`.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail === '' ? error.message : `${error.message} (${detail})`;
}

/**
 * POSTs `body` once. The timeout covers reading the body too: an endpoint that sends headers and then stalls is as
 * useless as one that never answers.
 */
export async function attempt(request: AttemptRequest): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onCallerAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const started = Date.now();
  const fail = (failure: AttemptFailure): AttemptOutcome => ({ ok: false, failure, latencyMs: Date.now() - started });
  try {
    const response = await request.fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...request.headers },
      body: request.body,
      signal: controller.signal,
    });
    const text = await response.text();
    if (!response.ok) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return fail({
        kind: classifyHttpStatus(response.status),
        message: `HTTP ${response.status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`,
        httpStatus: response.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    try {
      return { ok: true, body: JSON.parse(text), text, latencyMs: Date.now() - started };
    } catch {
      return fail({ kind: 'malformed-response', message: `body is not JSON: ${text.slice(0, 80)}` });
    }
  } catch (error) {
    if (request.signal?.aborted) return fail({ kind: 'aborted', message: 'aborted by the caller', cause: error });
    if (timedOut) return fail({ kind: 'timeout', message: `no answer within ${request.timeoutMs} ms` });
    return fail({ kind: 'network', message: describeThrown(error), cause: error });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}
