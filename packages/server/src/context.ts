// What every procedure sees: the shared dependencies of the server, and the request's id.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { DatabaseHandle } from '@attention-oracle/db';
import type { ChainContext } from '@attention-oracle/indexer';
import type { RateLimiter } from './auth/rate-limit.js';
import { readSession, type Session } from './auth/session.js';
import type { ClaimsState } from './claims/state.js';
import type { ServerEnv } from './env.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import type { SubscriptionHub } from './subscriptions/hub.js';
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
  /** Sponsor key, claim rate limits, claims in flight, the deep-proof lookup table, the direct settlement. */
  readonly claims: ClaimsState;
  /** The SSE subscriptions' shared poller. */
  readonly subscriptions: SubscriptionHub;
  /** Bad admin API keys per client address. */
  readonly badApiKeys: RateLimiter;
}

/** The per-request context of every procedure. */
export interface Context extends ServerDeps {
  readonly requestId: string;
  /** The client address (rate limits). */
  readonly ip: string;
  /** The logged-in viewer (session cookie), or null. */
  readonly session: Session | null;
  /** The request's headers, lowercase names (API keys, CSRF); procedures never see the body. */
  readonly req: { readonly headers: IncomingHttpHeaders };
  /** Sets a response header (e.g. Retry-After on a 429). */
  setHeader(name: string, value: string): void;
}

/**
 * The context factory the HTTP adapters call once per request: tRPC's passes Node's request, the REST adapter a Fetch
 * Request; both pass Node's response (whose socket gives the client address).
 *
 * @example createHTTPHandler({ router, createContext: contextFactory(deps) });
 */
export function contextFactory(
  deps: ServerDeps,
): (opts: { req: { headers: IncomingHttpHeaders | Headers }; res: ServerResponse }) => Context {
  return ({ req, res }) => {
    const headers = req.headers instanceof Headers ? Object.fromEntries(req.headers) : req.headers;
    const request = { headers };
    const requestId = headers['x-request-id'];
    return {
      ...deps,
      requestId: typeof requestId === 'string' ? requestId : 'unknown',
      ip: res.socket?.remoteAddress ?? 'unknown',
      session: readSession(deps.env.auth, request),
      req: request,
      setHeader: (name, value) => {
        if (!res.headersSent) res.setHeader(name, value);
      },
    };
  };
}
