// Sessions as stateless HMAC-signed cookies (user id, login, expiry, CSRF token, dev flag), and CSRF checks.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendCookies, HttpError, parseCookies, serializeCookie, signValue, verifyValue } from '../http.js';
import type { AuthConfig } from './config.js';

/** The session cookie (httpOnly). */
export const SESSION_COOKIE = 'ao_session';
/** The CSRF cookie (readable by the page, which echoes it in `x-csrf-token`). */
export const CSRF_COOKIE = 'ao_csrf';
/** The header cookie-authenticated POSTs must carry. */
export const CSRF_HEADER = 'x-csrf-token';

/** A logged-in viewer. */
export interface Session {
  /** Twitch user id (decimal). */
  readonly userId: string;
  /** Lowercase login at login time. */
  readonly login: string;
  /** True for a development login (never in production). */
  readonly dev: boolean;
  /** Expiry, unix seconds. */
  readonly exp: number;
  /** The double-submit CSRF token bound to this session. */
  readonly csrf: string;
}

/**
 * Sets a new session and its CSRF cookie on `res`; returns the session.
 *
 * @example const session = startSession(config, res, { userId: '123', login: 'zowzrd', dev: false });
 */
export function startSession(
  config: AuthConfig,
  res: ServerResponse,
  who: { userId: string; login: string; dev: boolean },
  nowMs = Date.now(),
): Session {
  const session: Session = {
    ...who,
    exp: Math.floor(nowMs / 1000) + config.sessionTtlSeconds,
    csrf: randomBytes(24).toString('base64url'),
  };
  const common = { maxAgeSeconds: config.sessionTtlSeconds, secure: config.secureCookies };
  appendCookies(res, [
    serializeCookie(SESSION_COOKIE, signValue(config.cookieSecret, session), { ...common, httpOnly: true }),
    serializeCookie(CSRF_COOKIE, session.csrf, { ...common, httpOnly: false }),
  ]);
  return session;
}

/**
 * Clears the session and CSRF cookies.
 *
 * @example endSession(config, res);
 */
export function endSession(config: AuthConfig, res: ServerResponse): void {
  const gone = { maxAgeSeconds: 0, secure: config.secureCookies };
  appendCookies(res, [
    serializeCookie(SESSION_COOKIE, '', { ...gone, httpOnly: true }),
    serializeCookie(CSRF_COOKIE, '', { ...gone, httpOnly: false }),
  ]);
}

/**
 * The request's valid, unexpired session, or null.
 *
 * @example const session = readSession(config, req); if (session) console.log(session.userId);
 */
export function readSession(
  config: AuthConfig,
  req: Pick<IncomingMessage, 'headers'>,
  nowMs = Date.now(),
): Session | null {
  const value = parseCookies(req)[SESSION_COOKIE];
  if (value === undefined || value === '') return null;
  const session = verifyValue<Session>(config.cookieSecret, value, nowMs);
  if (session === null || typeof session.userId !== 'string' || typeof session.csrf !== 'string') return null;
  return session;
}

/**
 * The session of a cookie-authenticated mutation: 401 without one, 403 unless both the CSRF cookie and the
 * `x-csrf-token` header equal the session's token.
 *
 * @example const session = requireSessionWithCsrf(config, req);
 */
export function requireSessionWithCsrf(
  config: AuthConfig,
  req: Pick<IncomingMessage, 'headers'>,
  nowMs = Date.now(),
): Session {
  const session = readSession(config, req, nowMs);
  if (session === null) throw new HttpError(401, 'UNAUTHORIZED', 'log in first: no valid session cookie');
  const header = req.headers[CSRF_HEADER];
  const cookie = parseCookies(req)[CSRF_COOKIE];
  if (typeof header !== 'string' || header === '') {
    throw new HttpError(403, 'CSRF_FAILED', `missing ${CSRF_HEADER} header (echo the ${CSRF_COOKIE} cookie)`);
  }
  if (!sameToken(header, session.csrf) || cookie === undefined || !sameToken(cookie, session.csrf)) {
    throw new HttpError(403, 'CSRF_FAILED', `the ${CSRF_HEADER} header does not match this session's CSRF token`);
  }
  return session;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
