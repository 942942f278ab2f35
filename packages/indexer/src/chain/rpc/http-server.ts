// The local chain's RPC endpoint: JSON-RPC over HTTP on 127.0.0.1 with CORS (browser pages call it), and the
// websocket subscriptions on the same port and on port + 1, where web3.js looks for them by convention. A response is
// written only once everything the ledger did so far is durable, so nothing a client sees can be lost by a crash.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { LocalLedger } from '../ledger.js';
import { handlePayload } from './dispatch.js';
import { errorResponse, RpcCode, RpcError, stringifyJson } from './json-rpc.js';
import { serveSubscriptions } from './subscriptions.js';

/** Where and how to serve. */
export interface RpcServerOptions {
  ledger: LocalLedger;
  host?: string;
  /** HTTP port; 0 (default) picks a free pair (port, port + 1). */
  port?: number;
}

/** A running RPC endpoint. */
export interface RpcServer {
  url: string;
  /** The websocket URL web3.js derives from `url` (port + 1); the HTTP port accepts websockets too. */
  wsUrl: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 << 20;
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-max-age': '86400',
};

function respond(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { ...CORS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function handleHttp(ledger: LocalLedger, req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'OPTIONS') {
    const headers = req.headers['access-control-request-headers'] ?? 'content-type, solana-client';
    res.writeHead(204, { ...CORS, 'access-control-allow-headers': headers });
    res.end();
    return;
  }
  if (req.method === 'GET') {
    const health = req.url === '/health';
    respond(res, health ? 200 : 404, health ? 'ok' : 'not found', 'text/plain');
    return;
  }
  if (req.method !== 'POST') {
    respond(res, 405, 'method not allowed', 'text/plain');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return respond(res, 413, 'request too large', 'text/plain');
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return respond(res, 200, stringifyJson(errorResponse(null, new RpcError(RpcCode.parseError, 'Parse error'))));
    }
    const response = handlePayload(payload, { ledger });
    ledger.durable().then(
      () => (response === undefined ? respond(res, 204, '') : respond(res, 200, stringifyJson(response))),
      (error: Error) => respond(res, 500, stringifyJson(errorResponse(null, error))),
    );
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

// Requests in flight get their answers; idle keep-alive sockets close now, stragglers after a grace period.
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 1000);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Starts serving `options.ledger`. */
export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const host = options.host ?? '127.0.0.1';
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const detach = serveSubscriptions(wss, options.ledger);
  const make = () => {
    const server = createServer((req, res) => handleHttp(options.ledger, req, res));
    server.keepAliveTimeout = 65_000;
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
    );
    return server;
  };
  for (let attempt = 0; ; attempt++) {
    const http = make();
    const ws = make();
    const port = await listen(http, options.port ?? 0, host);
    try {
      await listen(ws, port + 1, host);
    } catch (error) {
      await closeServer(http);
      // Port + 1 taken: with a random port try another pair; a port the caller chose is theirs to fix.
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && !options.port && attempt < 20) continue;
      throw error;
    }
    return {
      url: `http://${host}:${port}`,
      wsUrl: `ws://${host}:${port + 1}`,
      port,
      async close() {
        detach();
        for (const client of wss.clients) client.terminate();
        await Promise.all([closeServer(http), closeServer(ws)]);
        wss.close();
      },
    };
  }
}
