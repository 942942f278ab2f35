// JSON-RPC 2.0 plumbing: errors with Solana's codes, and a serializer that writes bigints as exact JSON numbers
// (u64 values such as rentEpoch = 2^64-1 must reach @solana/kit, which parses large integers as bigints, intact).

/** Error codes used by Solana's RPC (besides the JSON-RPC standard ones). */
export const RpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  preflightFailure: -32002,
  signatureVerificationFailure: -32003,
  unsupportedTransactionVersion: -32015,
  minContextSlotNotReached: -32016,
} as const;

/** An error a method answers with (code, message and optional data go to the client as they are). */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** Shorthand for an invalid-params error. */
export function invalidParams(message: string): RpcError {
  return new RpcError(RpcCode.invalidParams, message);
}

/** A JSON-RPC id (a response to an unparseable request has id null). */
export type RpcId = string | number | null;

/** A response object. */
export type RpcResponse =
  | { jsonrpc: '2.0'; result: unknown; id: RpcId }
  | { jsonrpc: '2.0'; error: { code: number; message: string; data?: unknown }; id: RpcId };

/** The response for `error` (unknown errors become -32603 with their message; no stack is ever sent). */
export function errorResponse(id: RpcId, error: unknown): RpcResponse {
  if (error instanceof RpcError) {
    const body =
      error.data === undefined
        ? { code: error.code, message: error.message }
        : { code: error.code, message: error.message, data: error.data };
    return { jsonrpc: '2.0', error: body, id };
  }
  return {
    jsonrpc: '2.0',
    error: { code: RpcCode.internalError, message: `Internal error: ${(error as Error)?.message ?? String(error)}` },
    id,
  };
}

const BIGINT_MARK = '\u0000u64:';
const BIGINT_PATTERN = /"\\u0000u64:(\d+)"/g;

/** JSON.stringify that writes bigints as bare integers. */
export function stringifyJson(value: unknown): string {
  let sawBigint = false;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'bigint') return item;
    sawBigint = true;
    return `${BIGINT_MARK}${item}`;
  });
  return sawBigint ? text.replace(BIGINT_PATTERN, '$1') : text;
}

/** A u64 as JSON: a plain number while it is exact, a bigint (written as a bare integer) beyond 2^53. */
export function u64Json(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
