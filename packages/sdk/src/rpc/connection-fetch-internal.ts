import { type ExecutorConfig, execute } from './execute-internal.js';
import { inspectFor, methodsOf } from './json-rpc-internal.js';

/**
 * A `fetch` for web3.js `Connection` that sends every request through the pool. web3.js v1 hands its `fetch` option
 * the endpoint URL and a POST with a JSON string body (one request or a batch); the URL is ignored and the body goes
 * to whichever endpoint the pool picks. JSON-RPC error answers go back untouched so web3.js raises its own errors
 * (SendTransactionError with logs, SolanaJSONRPCError); transport failures that survive every retry reject with the
 * pool's RpcError.
 */
export function poolFetch(config: ExecutorConfig): typeof globalThis.fetch {
  return async (_input, init) => {
    const body = init?.body;
    if (typeof body !== 'string') throw new TypeError('the RPC pool fetch expects the JSON string body web3.js sends');
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      throw new TypeError('the RPC pool fetch expects a JSON-RPC request body');
    }
    const answer = await execute(config, body, methodsOf(payload), inspectFor(payload), {
      signal: init?.signal ?? undefined,
    });
    return new Response(answer.text, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}
