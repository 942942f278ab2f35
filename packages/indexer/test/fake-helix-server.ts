// A fake Twitch API for tests: the client-credentials token endpoint and Helix `GET /streams` with cursor paging, on
// node:http at 127.0.0.1. It checks the bearer token and the Client-Id header like Helix does, and can be told to
// answer the next requests with an error (a 500, a 429 with Retry-After, ...).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A live stream as Helix describes it (the fields discovery reads, and a few it ignores). */
export interface FakeStream {
  id: string;
  user_id: string;
  user_login: string;
  user_name: string;
  game_id: string;
  type: 'live';
  title: string;
  viewer_count: number;
  started_at: string;
  language: string;
}

/** A canned answer for the next Helix request. */
export interface InjectedResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A stream with plausible values for index `n` (viewer counts descending, as Helix sorts them). */
export function fakeStream(n: number, overrides: Partial<FakeStream> = {}): FakeStream {
  return {
    id: `${40_000_000 + n}`,
    user_id: `${1000 + n}`,
    user_login: `streamer_${n}`,
    user_name: `Streamer_${n}`,
    game_id: '509658',
    type: 'live',
    title: `stream ${n}`,
    viewer_count: 100_000 - n,
    started_at: new Date(Date.UTC(2024, 0, 1, 12, 0, n % 60)).toISOString(),
    language: n % 3 === 0 ? 'de' : 'en',
    ...overrides,
  };
}

/** The app credentials the fake accepts, and the live streams it lists. */
export interface FakeHelixOptions {
  clientId: string;
  clientSecret: string;
  streams: FakeStream[];
}

/** The fake API. Start with {@link FakeHelixServer.start}; always `close()` it. */
export class FakeHelixServer {
  /** Every request, in order: method, path and query. */
  readonly requests: { method: string; path: string; query: URLSearchParams }[] = [];
  readonly #server: Server;
  readonly #options: FakeHelixOptions;
  readonly #tokens = new Set<string>();
  readonly #injected: InjectedResponse[] = [];

  private constructor(server: Server, options: FakeHelixOptions) {
    this.#server = server;
    this.#options = options;
    server.on('request', (req, res) => void this.#handle(req, res));
  }

  static async start(options: FakeHelixOptions): Promise<FakeHelixServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeHelixServer(server, options);
  }

  /** The id base URL (`<idBase>/oauth2/token`). */
  get idBaseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The Helix base URL (`<helixBase>/streams`). */
  get helixBaseUrl(): string {
    return `${this.idBaseUrl}/helix`;
  }

  /** Answers the next Helix request with `response` instead (queued, in order). */
  inject(response: InjectedResponse): void {
    this.#injected.push(response);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.idBaseUrl);
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const form = new URLSearchParams(text);
      const { clientId, clientSecret } = this.#options;
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        return send(403, { status: 403, message: 'invalid client secret' });
      }
      if (form.get('grant_type') !== 'client_credentials') return send(400, { status: 400, message: 'bad grant' });
      const token = randomUUID().replaceAll('-', '');
      this.#tokens.add(token);
      return send(200, { access_token: token, expires_in: 5_000_000, token_type: 'bearer' });
    }
    if (req.method === 'GET' && url.pathname === '/helix/streams') {
      const injected = this.#injected.shift();
      if (injected) return send(injected.status, injected.body, injected.headers);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined || !this.#tokens.has(token)) {
        return send(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });
      }
      if (req.headers['client-id'] !== this.#options.clientId) {
        return send(401, { error: 'Unauthorized', status: 401, message: 'Client ID and OAuth token do not match' });
      }
      const first = Number(url.searchParams.get('first') ?? '20');
      if (!Number.isInteger(first) || first < 1 || first > 100) {
        return send(400, { error: 'Bad Request', status: 400, message: 'Invalid value for first' });
      }
      const after = url.searchParams.get('after');
      const offset = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString());
      const data = this.#options.streams.slice(offset, offset + first);
      const next = offset + first;
      const cursor = next < this.#options.streams.length ? Buffer.from(String(next)).toString('base64url') : undefined;
      return send(200, { data, pagination: cursor === undefined ? {} : { cursor } });
    }
    send(404, { error: 'Not Found', status: 404, message: `no route ${req.method} ${url.pathname}` });
  }
}
