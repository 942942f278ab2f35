/**
 * What went wrong with an RPC request. The first seven kinds are retryable: another attempt (on this endpoint later,
 * or on another one) may succeed. The rest are final: repeating the same request cannot change the answer.
 */
export type RpcErrorKind =
  | 'timeout'
  | 'network'
  | 'rate-limited'
  | 'server'
  | 'malformed-response'
  | 'blockhash-not-found'
  | 'node-unhealthy'
  | 'http'
  | 'invalid-request'
  | 'transaction'
  | 'rpc'
  | 'aborted';

const RETRYABLE: ReadonlySet<RpcErrorKind> = new Set<RpcErrorKind>([
  'timeout',
  'network',
  'rate-limited',
  'server',
  'malformed-response',
  'blockhash-not-found',
  'node-unhealthy',
]);

/**
 * Whether an error of this kind may succeed when tried again.
 *
 * @example
 * isRetryableRpcErrorKind('rate-limited'); // true
 * isRetryableRpcErrorKind('invalid-request'); // false
 */
export function isRetryableRpcErrorKind(kind: RpcErrorKind): boolean {
  return RETRYABLE.has(kind);
}

/** The context an {@link RpcError} carries. */
export interface RpcErrorContext {
  kind: RpcErrorKind;
  /** The endpoint that gave the last answer, with any path or query (where providers put API keys) redacted. */
  endpoint: string;
  /** The JSON-RPC method, or the methods of a batch joined with `,`. */
  method: string;
  /** The JSON-RPC error code, when the endpoint answered with a JSON-RPC error. */
  code?: number;
  /** The JSON-RPC error's `data` (for a failed preflight: `{ err, logs, ... }`). */
  data?: unknown;
  /** The HTTP status, when the endpoint answered with a non-2xx status. */
  httpStatus?: number;
  /** How long the endpoint asked to be left alone (HTTP Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** How many attempts were made before giving up. */
  attempts: number;
}

/**
 * A failed RPC request: either a final answer (thrown at once) or a retryable one that persisted through every retry.
 * Switch on `kind`; `retryable` tells whether trying the whole request again later could help.
 *
 * @example
 * try {
 *   await client.call('getBalance', [address]);
 * } catch (error) {
 *   if (error instanceof RpcError && error.kind === 'invalid-request') console.error(error.code, error.message);
 *   else throw error;
 * }
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly kind: RpcErrorKind;
  readonly retryable: boolean;
  readonly endpoint: string;
  readonly method: string;
  readonly code: number | undefined;
  readonly data: unknown;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(message: string, context: RpcErrorContext, options?: { cause?: unknown }) {
    super(`${context.method} via ${context.endpoint}: ${message}`, options);
    this.kind = context.kind;
    this.retryable = isRetryableRpcErrorKind(context.kind);
    this.endpoint = context.endpoint;
    this.method = context.method;
    this.code = context.code;
    this.data = context.data;
    this.httpStatus = context.httpStatus;
    this.retryAfterMs = context.retryAfterMs;
    this.attempts = context.attempts;
  }
}
