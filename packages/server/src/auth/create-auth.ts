// The auth module: Twitch login (OIDC code flow), development login, sessions, CSRF, and wallet binding, as
// node:http handlers the server mounts under `/auth/*` and `/wallets/*`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { base58Encode, parseLogin, parseTwitchUserId } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import { bindingHistory, bindWallet } from '@attention-oracle/indexer';
import {
  appendCookies,
  clientIp,
  guarded,
  type Handler,
  HttpError,
  parseCookies,
  readJsonBody,
  sendJson,
  serializeCookie,
  signValue,
  verifyValue,
} from '../http.js';
import type { AuthConfig } from './config.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { endSession, readSession, requireSessionWithCsrf, type Session, startSession } from './session.js';
import {
  beginLogin,
  createIdTokenVerifier,
  exchangeCode,
  fetchHelixLogin,
  LOGIN_ATTEMPT_TTL_SECONDS,
  type LoginAttempt,
  revokeToken,
} from './twitch-oidc.js';
import { recordLogin } from './users.js';
import { createChallengeStore, parseSignature, parseWallet, verifyWalletSignature } from './wallet-challenge.js';

/** The login-attempt cookie (state, nonce, PKCE verifier), signed, httpOnly, SameSite=Lax. */
export const LOGIN_COOKIE = 'ao_oidc';

/** The logging the module does (pino's Logger fits). */
export interface AuthLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Limits per key; each bucket refills fully in a minute by default. */
export interface AuthRateLimits {
  /** Login and callback, per IP. Default 20 a minute. */
  readonly loginPerIp: RateLimitOptions;
  /** Completed logins (callback), per viewer. Default 10 a minute. */
  readonly loginPerViewer: RateLimitOptions;
  /** Challenge and bind, per IP. Default 30 a minute. */
  readonly walletPerIp: RateLimitOptions;
  /** Challenge and bind, per viewer. Default 10 a minute. */
  readonly walletPerViewer: RateLimitOptions;
}

/** Dependencies of {@link createAuth}. */
export interface AuthDeps {
  readonly db: DatabaseHandle;
  readonly config: AuthConfig;
  readonly log: AuthLog;
  readonly rateLimits?: Partial<AuthRateLimits>;
  /** Clock in ms (tests); Date.now by default. */
  readonly now?: () => number;
}

/** The handlers, by route. */
export interface Auth {
  /** `GET /auth/login`: redirects to Twitch (404 when Twitch login is not configured). */
  readonly login: Handler;
  /** `GET /auth/callback`: finishes the login, sets the session, redirects to `/`. */
  readonly callback: Handler;
  /** `POST /auth/logout` (CSRF). */
  readonly logout: Handler;
  /** `GET /auth/me`: the session's viewer, or 401. */
  readonly me: Handler;
  /** `POST /auth/dev-login` `{ userId, login }`: development only. */
  readonly devLogin: Handler;
  /** `POST /wallets/challenge` `{ wallet }` (session + CSRF): a one-time message to sign. */
  readonly walletChallenge: Handler;
  /** `POST /wallets/bind` `{ wallet, signature, nonce? }` (session + CSRF): verifies and binds. */
  readonly walletBind: Handler;
  /** `GET /wallets`: the viewer's active wallet and binding history (session). */
  readonly wallets: Handler;
  /** Dispatches the routes above by method and path; resolves false when the request is not one of them. */
  readonly route: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** The request's session, or null (for other handlers and the tRPC context). */
  readonly getSession: (req: IncomingMessage) => Session | null;
  /** Whether the development login is offered (no Twitch credentials and not production). */
  readonly devLoginEnabled: boolean;
}

const perMinute = (n: number): RateLimitOptions => ({ capacity: n, refillPerSecond: n / 60 });

/**
 * Builds the auth handlers.
 *
 * @example
 * const auth = createAuth({ db, config: resolveAuthConfig({ cookieSecret, twitch: null }), log: logger });
 * createServer(async (req, res) => { if (!(await auth.route(req, res))) res.writeHead(404).end(); });
 */
export function createAuth(deps: AuthDeps): Auth {
  const { db, config, log } = deps;
  const now = deps.now ?? Date.now;
  const limits = {
    loginPerIp: createRateLimiter({ now, ...(deps.rateLimits?.loginPerIp ?? perMinute(20)) }),
    loginPerViewer: createRateLimiter({ now, ...(deps.rateLimits?.loginPerViewer ?? perMinute(10)) }),
    walletPerIp: createRateLimiter({ now, ...(deps.rateLimits?.walletPerIp ?? perMinute(30)) }),
    walletPerViewer: createRateLimiter({ now, ...(deps.rateLimits?.walletPerViewer ?? perMinute(10)) }),
  };
  const twitch = config.twitch;
  const verifyIdToken = twitch === null ? null : createIdTokenVerifier(config, twitch);
  const challenges = createChallengeStore();
  const devLoginEnabled = twitch === null && config.nodeEnv !== 'production';
  const getSession = (req: IncomingMessage) => readSession(config, req, now());
  const wrap = (handler: Handler) => guarded(log, handler);

  const login = wrap(async (req, res) => {
    limits.loginPerIp.consume(`ip:${clientIp(req)}`, 'login');
    if (twitch === null) throw new HttpError(404, 'NOT_CONFIGURED', 'Twitch login is not configured on this server');
    const { attempt, url } = beginLogin(config, twitch, now());
    appendCookies(res, [
      serializeCookie(LOGIN_COOKIE, signValue(config.cookieSecret, attempt), {
        maxAgeSeconds: LOGIN_ATTEMPT_TTL_SECONDS,
        httpOnly: true,
        secure: config.secureCookies,
      }),
    ]);
    res.writeHead(302, { location: url, 'cache-control': 'no-store' });
    res.end();
  });

  const callback = wrap(async (req, res) => {
    limits.loginPerIp.consume(`ip:${clientIp(req)}`, 'login');
    if (twitch === null || verifyIdToken === null) {
      throw new HttpError(404, 'NOT_CONFIGURED', 'Twitch login is not configured on this server');
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const issuerError = query.get('error');
    if (issuerError !== null) {
      throw new HttpError(400, 'LOGIN_FAILED', `Twitch refused the login: ${issuerError.slice(0, 100)}`);
    }
    const attempt = verifyValue<LoginAttempt>(config.cookieSecret, parseCookies(req)[LOGIN_COOKIE] ?? '', now());
    if (attempt === null) {
      throw new HttpError(400, 'STATE_INVALID', 'the login attempt is missing, tampered with or expired: log in again');
    }
    if (query.get('state') !== attempt.state) {
      throw new HttpError(400, 'STATE_INVALID', 'the state parameter does not match this login attempt');
    }
    const code = query.get('code');
    if (code === null || code === '' || code.length > 512) throw new HttpError(400, 'BAD_REQUEST', 'missing code');
    // The attempt is single-use: clear its cookie whatever happens next.
    appendCookies(res, [
      serializeCookie(LOGIN_COOKIE, '', { maxAgeSeconds: 0, httpOnly: true, secure: config.secureCookies }),
    ]);
    const tokens = await exchangeCode(config, twitch, code, attempt.verifier);
    let userId: string;
    let login: string;
    try {
      ({ userId } = await verifyIdToken(tokens.idToken, attempt.nonce));
      limits.loginPerViewer.consume(`user:${userId}`, 'login');
      login = await fetchHelixLogin(config, twitch, tokens.accessToken, userId);
    } finally {
      const revoked = await revokeToken(config, twitch, tokens.accessToken).catch(() => false);
      if (!revoked) log.warn({}, 'revoking the Twitch access token failed');
    }
    const recorded = await recordLogin(db, { userId, login, joinLegacy: true });
    if (recorded.legacyJoinSkipped !== null) {
      log.warn({ userId, reason: recorded.legacyJoinSkipped }, 'legacy join skipped');
    }
    startSession(config, res, { userId, login, dev: false }, now());
    log.info({ userId, firstLogin: recorded.firstLogin }, 'viewer logged in');
    res.writeHead(302, { location: config.afterLoginUrl, 'cache-control': 'no-store' });
    res.end();
  });

  const logout = wrap(async (req, res) => {
    requireSessionWithCsrf(config, req, now());
    endSession(config, res);
    sendJson(res, 200, { loggedOut: true });
  });

  const me = wrap(async (req, res) => {
    const session = getSession(req);
    if (session === null) throw new HttpError(401, 'UNAUTHORIZED', 'not logged in');
    sendJson(res, 200, {
      userId: session.userId,
      login: session.login,
      dev: session.dev,
      expiresAt: new Date(session.exp * 1000).toISOString(),
    });
  });

  const devLogin = wrap(async (req, res) => {
    if (!devLoginEnabled) {
      const why = twitch !== null ? 'Twitch login is configured' : 'NODE_ENV is production';
      throw new HttpError(403, 'DEV_LOGIN_DISABLED', `development login is disabled: ${why}`);
    }
    limits.loginPerIp.consume(`ip:${clientIp(req)}`, 'login');
    const body = (await readJsonBody(req)) as { userId?: unknown; login?: unknown } | null;
    let userId: string;
    let login: string;
    try {
      userId = parseTwitchUserId(body?.userId as string);
      login = parseLogin(body?.login as string);
    } catch (error) {
      throw new HttpError(400, 'BAD_REQUEST', (error as Error).message);
    }
    await recordLogin(db, { userId, login, joinLegacy: false });
    const session = startSession(config, res, { userId, login, dev: true }, now());
    log.warn({ userId }, 'DEVELOPMENT login (not for production)');
    sendJson(res, 200, { userId, login, dev: true, csrfToken: session.csrf });
  });

  const walletChallenge = wrap(async (req, res) => {
    limits.walletPerIp.consume(`ip:${clientIp(req)}`, 'wallet');
    const session = requireSessionWithCsrf(config, req, now());
    limits.walletPerViewer.consume(`user:${session.userId}`, 'wallet');
    const body = (await readJsonBody(req)) as { wallet?: unknown } | null;
    const wallet = base58Encode(parseWallet(body?.wallet));
    const challenge = challenges.issue({
      domain: config.challengeDomain,
      userId: session.userId,
      wallet,
      ttlSeconds: config.challengeTtlSeconds,
      nowMs: now(),
    });
    sendJson(res, 200, {
      message: challenge.message,
      nonce: challenge.nonce,
      expiresAt: new Date(challenge.expiresAtMs).toISOString(),
    });
  });

  const walletBind = wrap(async (req, res) => {
    limits.walletPerIp.consume(`ip:${clientIp(req)}`, 'wallet');
    const session = requireSessionWithCsrf(config, req, now());
    limits.walletPerViewer.consume(`user:${session.userId}`, 'wallet');
    const body = (await readJsonBody(req)) as { wallet?: unknown; signature?: unknown; nonce?: unknown } | null;
    const wallet = parseWallet(body?.wallet);
    const signature = parseSignature(body?.signature);
    const nonce = body?.nonce;
    if (nonce !== undefined && (typeof nonce !== 'string' || !/^[0-9a-f]{32}$/.test(nonce))) {
      throw new HttpError(400, 'BAD_REQUEST', 'nonce must be the 32 hex characters of the challenge');
    }
    const challenge = challenges.consume({ userId: session.userId, nonce, nowMs: now() });
    if (challenge.wallet !== base58Encode(wallet)) {
      throw new HttpError(400, 'CHALLENGE_MISMATCH', 'the challenge was issued for another wallet');
    }
    if (!verifyWalletSignature(wallet, challenge.message, signature)) {
      throw new HttpError(400, 'SIGNATURE_INVALID', "the signature is not the wallet's signature of the challenge");
    }
    const userId = BigInt(session.userId);
    const bound = await bindWallet(db, { userId, wallet, via: 'signature', actor: `user:${session.userId}` });
    log.info({ userId: session.userId, bindingId: bound.bindingId }, 'wallet bound');
    sendJson(res, 200, {
      wallet: challenge.wallet,
      bindingId: bound.bindingId,
      first: bound.first,
      movedCredit: bound.movedCredit.toString(),
      history: await historyOf(userId),
    });
  });

  const wallets = wrap(async (req, res) => {
    const session = getSession(req);
    if (session === null) throw new HttpError(401, 'UNAUTHORIZED', 'not logged in');
    const history = await historyOf(BigInt(session.userId));
    sendJson(res, 200, { active: history.find((b) => b.unboundAt === null)?.wallet ?? null, history });
  });

  async function historyOf(userId: bigint) {
    return (await bindingHistory(db.query, userId)).map((b) => ({
      wallet: base58Encode(b.wallet),
      via: b.via,
      boundAt: b.boundAt.toISOString(),
      unboundAt: b.unboundAt?.toISOString() ?? null,
    }));
  }

  const routes: Record<string, Handler> = {
    'GET /auth/login': login,
    'GET /auth/callback': callback,
    'POST /auth/logout': logout,
    'GET /auth/me': me,
    'POST /auth/dev-login': devLogin,
    'POST /wallets/challenge': walletChallenge,
    'POST /wallets/bind': walletBind,
    'GET /wallets': wallets,
  };
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes[`${req.method ?? 'GET'} ${path}`];
    if (handler === undefined) return false;
    await handler(req, res);
    return true;
  };

  return {
    login,
    callback,
    logout,
    me,
    devLogin,
    walletChallenge,
    walletBind,
    wallets,
    route,
    getSession,
    devLoginEnabled,
  };
}
