// What every procedure sees: the shared dependencies of the server, and the request's id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DatabaseHandle } from '@attention-oracle/db';
import type { ChainContext } from '@attention-oracle/indexer';
import { clientIp } from './auth/http.js';
import { readSession, type Session } from './auth/session.js';
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
  /** The client address (rate limits). */
  readonly ip: string;
  /** The logged-in viewer (session cookie), or null. */
  readonly session: Session | null;
  /** The request, for headers (API keys, CSRF); procedures never read its body. */
  readonly req: IncomingMessage;
  /** Sets a response header (e.g. Retry-After on a 429). */
  setHeader(name: string, value: string): void;
}

/**
 * The context factory the HTTP adapters call once per request.
 *
 * @example createHTTPHandler({ router, createContext: contextFactory(deps) });
 */
export function contextFactory(deps: ServerDeps): (opts: { req: IncomingMessage; res: ServerResponse }) => Context {
  return ({ req, res }) => ({
    ...deps,
    requestId: requestIdOf(req.headers),
    ip: clientIp(req),
    session: readSession(deps.env.auth, req),
    req,
    setHeader: (name, value) => {
      if (!res.headersSent) res.setHeader(name, value);
    },
  });
}

/** The x-request-id header the server set, from Node's headers object or a Fetch Headers. */
function requestIdOf(headers: unknown): string {
  let value: unknown;
  if (headers instanceof Headers) value = headers.get('x-request-id');
  else if (headers !== null && typeof headers === 'object')
    value = (headers as Record<string, unknown>)['x-request-id'];
  return typeof value === 'string' ? value : 'unknown';
}
