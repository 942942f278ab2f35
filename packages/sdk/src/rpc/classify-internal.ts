import type { RpcErrorKind } from './rpc-error.js';

// Solana's JSON-RPC server codes (agave rpc-client-api `custom_error.rs`) that mean "this node cannot answer yet",
// so another node, or this one a little later, can: node unhealthy or behind, block not available yet, block status
// not yet available, minimum context slot not reached.
const NODE_NOT_READY_CODES = new Set([-32005, -32004, -32014, -32016]);
// Failures of the transaction itself: preflight simulation, signature verification, precompile verification,
// signature count mismatch, unsupported version. Sending the same bytes again gives the same answer.
const TRANSACTION_CODES = new Set([-32002, -32003, -32006, -32013, -32015]);
// The request is wrong: parse error, invalid request, method not found, invalid params.
const INVALID_REQUEST_CODES = new Set([-32700, -32600, -32601, -32602]);

/** A JSON-RPC error object as endpoints send it. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * The kind of a JSON-RPC error answer.
 *
 * "Blockhash not found" arrives as a failed preflight (-32002) but is retryable: the node has not seen the blockhash
 * yet (it is behind the node that issued it), and a node that has will accept the same bytes.
 */
export function classifyJsonRpcError(error: JsonRpcErrorObject): RpcErrorKind {
  const { code, message } = error;
  if (/blockhash not found/i.test(message)) return 'blockhash-not-found';
  if (NODE_NOT_READY_CODES.has(code)) return 'node-unhealthy';
  // Some providers report rate limits inside a 200 answer instead of with HTTP 429.
  if (code === 429 || code === -32429 || /too many requests|rate limit/i.test(message)) return 'rate-limited';
  if (TRANSACTION_CODES.has(code)) return 'transaction';
  if (INVALID_REQUEST_CODES.has(code)) return 'invalid-request';
  // An internal error is a fault of that node, not of the request. Other server codes (block cleaned up, slot
  // skipped, history not available, key excluded from an index, ...) state facts that retrying does not change.
  if (code === -32603) return 'server';
  return 'rpc';
}

/** The kind of a non-2xx HTTP answer: 429 and 5xx are retryable, other 4xx are final. */
export function classifyHttpStatus(status: number): RpcErrorKind {
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'http';
}

/**
 * Milliseconds to wait from an HTTP Retry-After header (delay seconds or an HTTP date), or undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Whether a parsed JSON body has the shape of a JSON-RPC 2.0 answer (a result or an error object). */
export function isJsonRpcResponse(value: unknown): value is { result?: unknown; error?: JsonRpcErrorObject } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if ('error' in value) {
    const error = (value as { error: unknown }).error;
    return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number';
  }
  return 'result' in value;
}
