// One JSON-RPC payload (a request or a batch) to its response(s). Unknown methods answer -32601 at once.
import { accountMethods } from './account-methods.js';
import { clusterMethods } from './cluster-methods.js';
import { historyMethods } from './history-methods.js';
import { errorResponse, RpcCode, RpcError, type RpcId, type RpcResponse } from './json-rpc.js';
import type { RpcContext, RpcMethod } from './params.js';
import { sendMethods } from './send-methods.js';

/** Every method the local chain answers over HTTP. */
export const rpcMethods: Record<string, RpcMethod> = {
  ...accountMethods,
  ...clusterMethods,
  ...historyMethods,
  ...sendMethods,
};

/** Batches larger than this are refused (Solana nodes cap them too). */
export const MAX_BATCH = 1000;

function isId(value: unknown): value is RpcId {
  return value === null || typeof value === 'string' || typeof value === 'number';
}

/** Answers one request object; undefined for a notification (a request without id). */
export function handleRequest(request: unknown, context: RpcContext): RpcResponse | undefined {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return errorResponse(null, new RpcError(RpcCode.invalidRequest, 'Invalid request'));
  }
  const { id, method, params } = request as { id?: unknown; method?: unknown; params?: unknown };
  const replyId = isId(id) ? id : null;
  if (typeof method !== 'string' || (id !== undefined && !isId(id))) {
    return errorResponse(replyId, new RpcError(RpcCode.invalidRequest, 'Invalid request'));
  }
  const handler = Object.hasOwn(rpcMethods, method) ? rpcMethods[method] : undefined;
  let response: RpcResponse;
  if (!handler) {
    response = errorResponse(replyId, new RpcError(RpcCode.methodNotFound, `Method not found: ${method}`));
  } else if (params !== undefined && params !== null && !Array.isArray(params)) {
    response = errorResponse(replyId, new RpcError(RpcCode.invalidParams, 'Invalid params: params must be an array'));
  } else {
    try {
      response = { jsonrpc: '2.0', result: handler((params as unknown[] | undefined) ?? [], context), id: replyId };
    } catch (error) {
      response = errorResponse(replyId, error);
    }
  }
  return id === undefined ? undefined : response;
}

/** Answers a parsed payload: a request or a batch. Undefined when nothing is to be sent back. */
export function handlePayload(payload: unknown, context: RpcContext): RpcResponse | RpcResponse[] | undefined {
  if (!Array.isArray(payload)) return handleRequest(payload, context);
  if (payload.length === 0 || payload.length > MAX_BATCH) {
    return errorResponse(null, new RpcError(RpcCode.invalidRequest, 'Invalid request'));
  }
  const responses = payload.map((request) => handleRequest(request, context)).filter((r) => r !== undefined);
  return responses.length > 0 ? responses : undefined;
}
