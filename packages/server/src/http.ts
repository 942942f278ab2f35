// Small node:http helpers: cookies, JSON bodies, typed JSON answers, HMAC-signed values, the client address.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A node:http-style handler. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * A refusal answered as `{ error: { code, message } }` with `status` (and extra headers such as Retry-After).
 *
 * @example throw new HttpError(401, 'UNAUTHORIZED', 'log in first');
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Answers `body` as JSON.
 *
 * @example sendJson(res, 200, { ok: true });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/**
 * Wraps a handler so that an HttpError becomes its typed 4xx answer and anything else a plain 500 (no stack).
 *
 * @example const handler = guarded(log, async (req, res) => { throw new HttpError(400, 'BAD_REQUEST', 'no'); });
 */
export function guarded(log: { error: (obj: object, msg: string) => void }, handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (error instanceof HttpError) {
        sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
        return;
      }
      log.error({ err: error }, 'auth handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
    }
  };
}

/**
 * The request's cookies by name.
 *
 * @example const sid = parseCookies(req).ao_session;
 */
export function parseCookies(req: Pick<IncomingMessage, 'headers'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    try {
      out[name] = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      // a malformed value is ignored like an absent one
    }
  }
  return out;
}

/** Cookie attributes. */
export interface CookieOptions {
  readonly maxAgeSeconds: number;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly path?: string;
}

/**
 * A Set-Cookie value (always SameSite=Lax).
 *
 * @example res.setHeader('set-cookie', [serializeCookie('a', 'b', { maxAgeSeconds: 60, httpOnly: true, secure: false })]);
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${options.maxAgeSeconds}`,
  ];
  parts.push('SameSite=Lax');
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * Adds Set-Cookie values to the response.
 *
 * @example appendCookies(res, [serializeCookie('a', 'b', opts)]);
 */
export function appendCookies(res: ServerResponse, cookies: readonly string[]): void {
  const prior = res.getHeader('set-cookie');
  const list = prior === undefined ? [] : Array.isArray(prior) ? prior : [String(prior)];
  res.setHeader('set-cookie', [...list, ...cookies]);
}

/**
 * `payload` as `<base64url json>.<base64url hmac>`.
 *
 * @example const value = signValue(secret, { userId: '1', exp: 1700000000 });
 */
export function signValue(secret: string, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/**
 * The payload of a value made by {@link signValue}, or null when tampered, malformed or past its `exp` (unix seconds).
 *
 * @example const state = verifyValue<{ exp: number }>(secret, cookies.ao_oidc ?? '', Date.now());
 */
export function verifyValue<T extends { exp: number }>(secret: string, value: string, nowMs: number): T | null {
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const body = value.slice(0, dot);
  const mac = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(body).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    if (typeof payload !== 'object' || payload === null || typeof payload.exp !== 'number') return null;
    return payload.exp * 1000 > nowMs ? payload : null;
  } catch {
    return null;
  }
}

/**
 * The JSON body of a request, at most `maxBytes` (an empty body is `{}`).
 *
 * @example const body = await readJsonBody(req, 4096);
 */
export async function readJsonBody(req: IncomingMessage, maxBytes = 4096): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'request body is not valid JSON');
  }
}

/**
 * The client address (the socket's; a proxy in front should be trusted by the server's own routing instead).
 *
 * @example const ip = clientIp(req);
 */
export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
