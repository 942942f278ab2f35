import { classifyJsonRpcError, isJsonRpcResponse, type JsonRpcErrorObject } from './classify-internal.js';
import type { AttemptFailure } from './http-attempt-internal.js';
import { isRetryableRpcErrorKind } from './rpc-error.js';

/** A JSON-RPC 2.0 request object. */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: number | string;
  method: string;
  params?: unknown;
}

/** The failure a JSON-RPC error object stands for. */
export function errorObjectFailure(error: JsonRpcErrorObject): AttemptFailure {
  return {
    kind: classifyJsonRpcError(error),
    message: typeof error.message === 'string' ? error.message : 'JSON-RPC error',
    code: error.code,
    ...(error.data === undefined ? {} : { data: error.data }),
  };
}

/** Inspects the answer to one request: a JSON-RPC envelope with a result or an error. */
export function inspectSingle(body: unknown): AttemptFailure | undefined {
  if (!isJsonRpcResponse(body)) return { kind: 'malformed-response', message: 'answer is not a JSON-RPC response' };
  return body.error === undefined ? undefined : errorObjectFailure(body.error);
}

/**
 * Inspects the answer to a batch: an array of envelopes. Any retryable item error makes the whole batch retryable
 * (the items are independent reads or idempotent sends, so repeating all of them is safe); final item errors are
 * results for the caller.
 */
export function inspectBatch(body: unknown): AttemptFailure | undefined {
  if (!Array.isArray(body) || !body.every(isJsonRpcResponse)) {
    return { kind: 'malformed-response', message: 'answer is not a JSON-RPC batch response' };
  }
  for (const item of body) {
    if (item.error === undefined) continue;
    const failure = errorObjectFailure(item.error);
    if (isRetryableRpcErrorKind(failure.kind)) return failure;
  }
  return undefined;
}

/** Inspects what a web3.js `Connection` sent: a single request or a batch. */
export function inspectFor(payload: unknown): (body: unknown) => AttemptFailure | undefined {
  return Array.isArray(payload) ? inspectBatch : inspectSingle;
}

/** The method names in a request payload, for errors and metrics (`a,b` for a batch). */
export function methodsOf(payload: unknown): string {
  const list = Array.isArray(payload) ? payload : [payload];
  const names = list.map((item) =>
    typeof item === 'object' && item !== null && typeof (item as { method?: unknown }).method === 'string'
      ? (item as { method: string }).method
      : '?',
  );
  return names.length === 0 ? '(empty batch)' : [...new Set(names)].join(',');
}
