// What every procedure sees: the shared dependencies of the server, and the request's id.
import type { DatabaseHandle } from '@attention-oracle/db';
import type { ChainContext } from '@attention-oracle/indexer';
import type { ServerEnv } from './env.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import type { TreeCache } from './trees.js';

/** The server's shared dependencies, built once by startServer. */
export interface ServerDeps {
  readonly env: ServerEnv;
  readonly db: DatabaseHandle;
  /** The chain, or null when the server runs without one (then chain-backed answers say so). */
  readonly chain: ChainContext | null;
  /** The mint whose roots are served (the chain's, or MINT), or null when none is known. */
  readonly mint: Uint8Array | null;
  /** The mint's transfer fee on a gross amount, or null when unknown (no chain). */
  readonly feeFor: ((amount: bigint) => bigint) | null;
  readonly logger: Logger;
  readonly trees: TreeCache;
  readonly metrics: ServerMetrics;
}

/** The per-request context of every procedure. */
export interface Context extends ServerDeps {
  readonly requestId: string;
}

/**
 * The context factory the HTTP adapters call once per request.
 *
 * @example createHTTPHandler({ router, createContext: contextFactory(deps) });
 */
export function contextFactory(deps: ServerDeps): (opts: { req: { headers: unknown } }) => Context {
  return ({ req }) => ({ ...deps, requestId: requestIdOf(req.headers) });
}

/** The x-request-id header the server set, from Node's headers object or a Fetch Headers. */
function requestIdOf(headers: unknown): string {
  let value: unknown;
  if (headers instanceof Headers) value = headers.get('x-request-id');
  else if (headers !== null && typeof headers === 'object')
    value = (headers as Record<string, unknown>)['x-request-id'];
  return typeof value === 'string' ? value : 'unknown';
}
