// Test setup of the auth module: a local OIDC issuer (oauth2-mock-server), a tiny fake Helix `/users`, the auth
// handlers on node:http, and a cookie jar to walk the browser's side of the login.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabaseHandle } from '@attention-oracle/db';
import { OAuth2Server } from 'oauth2-mock-server';
import { type Auth, type AuthRateLimits, createAuth, resolveAuthConfig } from '../../src/auth/index.js';

export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-secret';
const SECRET = 'x'.repeat(48);
const silent = { info() {}, warn() {}, error() {} };

/** Browser cookies across requests. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const gone = attributes.some((a) => a.trim().toLowerCase() === 'max-age=0');
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, decodeURIComponent(pair.slice(at + 1)));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  db: DatabaseHandle;
  /** Configure Twitch credentials (true) or leave login to the development login (false). */
  twitch: boolean;
  nodeEnv?: string;
  rateLimits?: Partial<AuthRateLimits>;
}

/** A running auth server and its fakes. */
export interface Harness {
  base: string;
  auth: Auth;
  oauth: OAuth2Server;
  /** The identity the issuer and Helix describe next. */
  identity: { userId: string; login: string };
  /** Edits each token payload the issuer signs (to forge bad tokens); null for none. */
  editToken: ((payload: Record<string, unknown>) => void) | null;
  /** Upstream calls in order: 'token', 'helix:<bearer>', 'revoke'. */
  calls: string[];
  /** The clock the auth module reads (ms). */
  clock: { ms: number };
  close(): Promise<void>;
}

/**
 * Starts the issuer, Helix and the auth handlers on random local ports.
 *
 * @example const h = await startHarness({ db, twitch: true }); ...; await h.close();
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const calls: string[] = [];
  const oauth = new OAuth2Server();
  await oauth.issuer.keys.generate('RS256');
  await oauth.start(0, '127.0.0.1');
  const issuer = oauth.issuer.url ?? '';
  const harness = {
    identity: { userId: '4242', login: 'zowzrd' },
    editToken: null as Harness['editToken'],
    clock: { ms: Date.now() },
  };
  oauth.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    token.payload.sub = harness.identity.userId;
    harness.editToken?.(token.payload);
  });
  oauth.service.on('beforeResponse', () => calls.push('token'));
  oauth.service.on('beforeRevoke', () => calls.push('revoke'));

  const helix = createServer((req, res) => {
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    calls.push(`helix:${bearer.length > 0 && req.headers['client-id'] === CLIENT_ID ? 'ok' : 'unauthorized'}`);
    if (req.url !== '/users' || bearer === '' || req.headers['client-id'] !== CLIENT_ID) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Unauthorized"}');
      return;
    }
    const { userId, login } = harness.identity;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [{ id: userId, login, display_name: login.toUpperCase() }] }));
  });
  await listen(helix);

  let handle: Auth['route'] = async () => false;
  const server = createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await listen(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = createAuth({
    db: options.db,
    log: silent,
    now: () => harness.clock.ms,
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    config: resolveAuthConfig({
      cookieSecret: SECRET,
      issuerUrl: issuer,
      jwksUrl: `${issuer}/jwks`,
      helixBaseUrl: `http://127.0.0.1:${(helix.address() as AddressInfo).port}`,
      twitch: options.twitch
        ? { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: `${base}/auth/callback` }
        : null,
      challengeDomain: 'claim.test',
      nodeEnv: options.nodeEnv ?? 'test',
    }),
  });
  handle = auth.route;
  return Object.assign(harness, {
    base,
    auth,
    oauth,
    calls,
    async close() {
      await oauth.stop();
      await Promise.all([close(helix), close(server)]);
    },
  });
}

/**
 * Walks the browser through `/auth/login` and the issuer's authorize endpoint; returns the callback URL the issuer
 * redirected to (not yet followed).
 *
 * @example const callbackUrl = await startLogin(h, jar);
 */
export async function startLogin(h: Harness, jar: CookieJar): Promise<URL> {
  const login = await fetch(`${h.base}/auth/login`, { redirect: 'manual', headers: { cookie: jar.header() } });
  if (login.status !== 302) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  jar.absorb(login);
  const authorize = await fetch(login.headers.get('location') ?? '', { redirect: 'manual' });
  if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
  return new URL(authorize.headers.get('location') ?? '');
}

/**
 * Requests `url` with the jar's cookies and absorbs the answer's cookies.
 *
 * @example const res = await browse(jar, callbackUrl);
 */
export async function browse(jar: CookieJar, url: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (jar.cookies.size > 0) headers.set('cookie', jar.header());
  const response = await fetch(url, { redirect: 'manual', ...init, headers });
  jar.absorb(response);
  return response;
}

/**
 * A JSON POST with the jar's cookies and, unless `csrf` is null, the given CSRF header (default: the jar's token).
 *
 * @example const res = await post(h, jar, '/wallets/challenge', { wallet });
 */
export function post(h: Harness, jar: CookieJar, path: string, body: unknown, csrf?: string | null) {
  const token = csrf === undefined ? jar.cookies.get('ao_csrf') : csrf;
  return browse(jar, `${h.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token == null ? {} : { 'x-csrf-token': token }) },
    body: JSON.stringify(body),
  });
}

/** Logs in through the whole Twitch flow; returns the callback's response. */
export async function loginWithTwitch(h: Harness, jar: CookieJar): Promise<Response> {
  return browse(jar, await startLogin(h, jar));
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}
