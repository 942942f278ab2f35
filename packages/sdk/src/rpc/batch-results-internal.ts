import type { JsonRpcErrorObject } from './classify-internal.js';
import { type Answer, toRpcError } from './execute-internal.js';
import { errorObjectFailure, type JsonRpcRequest } from './json-rpc-internal.js';
import type { RpcBatchResult } from './rpc-client.js';

/**
 * The batch answer's items in request order, matched by id: JSON-RPC allows a server to answer a batch in any
 * order. Item errors and missing items become typed errors so one bad item never hides the others' results.
 */
export function batchResults<T>(payload: readonly JsonRpcRequest[], answer: Answer): RpcBatchResult<T>[] {
  const items = new Map((answer.body as { id?: unknown }[]).map((item) => [item.id, item]));
  return payload.map((request): RpcBatchResult<T> => {
    const item = items.get(request.id) as { result?: T; error?: JsonRpcErrorObject } | undefined;
    const failure =
      item?.error !== undefined
        ? errorObjectFailure(item.error)
        : item === undefined || !('result' in item)
          ? { kind: 'malformed-response' as const, message: 'the batch answer has no item for this id' }
          : undefined;
    if (failure === undefined) return { ok: true, result: item?.result as T };
    return { ok: false, error: toRpcError(failure, answer.endpoint.label, request.method, answer.attempts) };
  });
}
