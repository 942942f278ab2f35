// The HTTP server: one node:http server for tRPC (/trpc), REST (/v1, from the same procedures), the OpenAPI document,
// metrics and the plain proof route, with a CORS allowlist, a body size limit and a request id on every request.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base58Decode } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import { type ChainContext, loadMintFees } from '@attention-oracle/indexer';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import { BAD_KEY_LIMIT } from './admin/procedure.js';
import { createAuth, createRateLimiter } from './auth/index.js';
import { createClaimsState } from './claims/state.js';
import { type Context, contextFactory, type ServerDeps } from './context.js';
import { loadServerEnv, type ServerEnv } from './env.js';
import { sendJson } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { servePlainProof } from './plain-proof.js';
import { createRestHandler } from './rest.js';
import { appRouter } from './routers/app.js';
import { createSubscriptionHub } from './subscriptions/hub.js';
import { createTreeCache } from './trees.js';

/** What startServer needs; everything but the database has a default. */
export interface StartServerOptions {
  readonly db: DatabaseHandle;
  /** Default: loadServerEnv() (process.env). */
  readonly env?: ServerEnv;
  /** The chain; null runs without one (chain-backed answers say so). */
  readonly chain?: ChainContext | null;
  /** The mint whose roots are served; default the chain's mint, else MINT. */
  readonly mint?: Uint8Array | null;
  readonly logger?: Logger;
  /** Overrides env.port (0 picks a free port). */
  readonly port?: number;
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8787. */
  readonly url: string;
  readonly deps: ServerDeps;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Starts the API server.
 *
 * @example const server = await startServer({ db, chain, port: 0 }); console.log(server.url); await server.close();
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const env = options.env ?? loadServerEnv();
  const logger = options.logger ?? createLogger(env.indexer.LOG_LEVEL);
  const chain = options.chain ?? null;
  const mint =
    options.mint !== undefined
      ? options.mint
      : chain !== null
        ? chain.mint.toBytes()
        : env.indexer.MINT
          ? base58Decode(env.indexer.MINT)
          : null;
  const feeFor = chain === null ? null : await mintFeeFunction(chain);
  const metrics = createMetrics({
    db: options.db,
    chain,
    mint,
    deadAfterSeconds: env.indexer.COLLECTOR_DEAD_AFTER_SECONDS,
    onError: (error) => logger.warn({ err: error }, 'metrics: database snapshot failed'),
  });
  const trees = await createTreeCache({
    db: options.db,
    mint,
    pollMs: env.rootsPollMs,
    logger,
    onChange: (roots) => metrics.rootsLoaded.set(roots.length),
  });
  metrics.rootsLoaded.set(trees.list().length);
  const deps: ServerDeps = {
    env,
    db: options.db,
    chain,
    mint,
    feeFor,
    logger,
    trees,
    metrics,
    claims: createClaimsState({ env, logger }),
    subscriptions: createSubscriptionHub({ db: options.db, mint, pollMs: env.rootsPollMs, logger }),
    badApiKeys: createRateLimiter(BAD_KEY_LIMIT),
  };
  const auth = createAuth({ db: options.db, config: env.auth, log: logger });
  const createContext = contextFactory(deps);
  const onError = ({ error, ctx }: { error: { code: string; message: string; cause?: unknown }; ctx?: Context }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      logger.error({ err: error.cause ?? error, requestId: ctx?.requestId }, 'internal error');
    }
  };
  const trpc = createHTTPHandler({
    router: appRouter,
    createContext,
    basePath: '/trpc/',
    maxBodySize: env.maxBodyBytes,
    onError,
  });
  const rest = createRestHandler({ createContext, maxBodySize: env.maxBodyBytes, onError });
  let openApi: string | undefined;
  const openApiDocument = (base: string) => {
    openApi ??= JSON.stringify(
      generateOpenApiDocument(appRouter, {
        title: 'Attention Oracle API',
        version: '1.0.0',
        baseUrl: base,
      }),
    );
    return openApi;
  };

  const onFinish = requestObserver(metrics);
  const nextRequestId = requestIds();
  const server = createServer((req, res) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : nextRequestId();
    req.headers['x-request-id'] = requestId;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = routeName(path);
    const timed = res as TimedResponse;
    timed[ROUTE] = route;
    timed[STARTED] = performance.now();
    res.once('finish', onFinish);
    if (!applyCors(req, res, env.corsOrigins, requestId)) return;
    // The hot path first, synchronously: proofs from memory (its headers, the request id among them, are written at
    // once: no setHeader before writeHead).
    if (route === 'proof') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(
          res,
          405,
          { error: { code: 'METHOD_NOT_SUPPORTED', message: 'use GET' } },
          { 'x-request-id': requestId },
        );
      } else servePlainProof(req, res, path, deps, requestId);
      return;
    }
    res.setHeader('x-request-id', requestId);
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > env.maxBodyBytes) {
      sendJson(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: `body over ${env.maxBodyBytes} bytes` } });
      return;
    }
    const handle = async () => {
      // Twitch login, sessions and wallet binding (/auth/*, /wallets/*).
      if (await auth.route(req, res)) return;
      if (route === 'trpc') return trpc(req, res);
      if (route === 'rest') return rest(req, res);
      if (route === 'openapi') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(openApiDocument(`http://${req.headers.host ?? 'localhost'}`));
        return;
      }
      if (route === 'metrics') {
        const body = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(body);
        return;
      }
      sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${path}` } });
    };
    handle().catch((error: unknown) => {
      logger.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) {
        sendJson(res, 500, {
          error: { code: 'INTERNAL_SERVER_ERROR', message: `internal error (request id ${requestId})` },
        });
      } else res.destroy();
    });
  });
  const port = options.port ?? env.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, env.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url }, 'server listening');
  return {
    url,
    deps,
    close: async () => {
      trees.close();
      // Streams end without tRPC's `return` event, so clients reconnect (with lastEventId) to the next instance.
      deps.subscriptions.close();
      deps.claims.direct?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

const ROUTE = Symbol('route');
const STARTED = Symbol('started');
/** A response carrying its route and start time, for the one shared 'finish' listener. */
type TimedResponse = ServerResponse & { [ROUTE]: string; [STARTED]: number };

/** Request ids: a random per-process prefix and a counter (unique, and cheaper than a UUID per request). */
function requestIds(): () => string {
  const prefix = randomUUID().slice(0, 8);
  let count = 0;
  return () => `${prefix}-${(++count).toString(36)}`;
}

/**
 * The 'finish' listener of every response: counts it and its latency through label children cached per route and
 * status.
 */
function requestObserver(metrics: ServerMetrics): (this: ServerResponse) => void {
  const counters = new Map<string, { inc(): void }>();
  const timers = new Map<string, { observe(value: number): void }>();
  return function onFinish(this: ServerResponse) {
    const timed = this as TimedResponse;
    const route = timed[ROUTE];
    const status = this.statusCode;
    const key = `${route} ${status}`;
    let counter = counters.get(key);
    if (counter === undefined) {
      counter = metrics.requests.labels(route, String(status));
      counters.set(key, counter);
    }
    counter.inc();
    let timer = timers.get(route);
    if (timer === undefined) {
      timer = metrics.requestSeconds.labels(route);
      timers.set(route, timer);
    }
    timer.observe((performance.now() - timed[STARTED]) / 1000);
  };
}

function routeName(path: string): string {
  if (path.startsWith('/trpc/')) return 'trpc';
  if (path.startsWith('/v1/proofs/')) {
    // /v1/proofs/<seq>/<wallet>: exactly two non-empty segments after the prefix.
    const slash = path.indexOf('/', 11);
    if (slash > 11 && slash < path.length - 1 && path.indexOf('/', slash + 1) === -1) return 'proof';
  }
  if (path.startsWith('/v1/')) return 'rest';
  if (path === '/openapi.json') return 'openapi';
  if (path === '/metrics') return 'metrics';
  return 'other';
}

/** Sets CORS headers for allowed origins; answers preflights. Returns false when the request was answered. */
function applyCors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[], requestId: string): boolean {
  const origin = req.headers.origin;
  const allowedOrigin = typeof origin === 'string' && allowed.includes(origin);
  if (allowedOrigin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'Origin');
  }
  if (req.method !== 'OPTIONS') return true;
  if (!allowedOrigin) {
    sendJson(res, 403, { error: { code: 'FORBIDDEN', message: 'origin not allowed' } }, { 'x-request-id': requestId });
    return false;
  }
  res.writeHead(204, {
    'x-request-id': requestId,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization, x-request-id, x-csrf-token',
    'access-control-max-age': '600',
  });
  res.end();
  return false;
}

async function mintFeeFunction(chain: ChainContext): Promise<(amount: bigint) => bigint> {
  const connection = chain.client.connection();
  const account = await connection.getAccountInfo(chain.mint, 'confirmed');
  if (account === null) throw new Error(`mint ${chain.mint.toBase58()} does not exist on the chain`);
  const fees = await loadMintFees(connection, chain.mint, account.owner);
  const { epoch } = await connection.getEpochInfo('confirmed');
  return (amount) => fees.feeFor(amount, BigInt(epoch));
}
