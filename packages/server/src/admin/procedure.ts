// The admin procedure: an API key in `Authorization: Bearer <key>` with one of the scopes a procedure needs ('admin'
// has them all), a per-IP limit on bad keys, and the key as the audit actor. Also the OpenAPI meta of admin routes.
import { type ApiKeyScope, verifyApiKey } from '@attention-oracle/indexer';
import { TRPCError } from '@trpc/server';
import type { OpenApiMeta, OpenApiMethod } from 'trpc-to-openapi';

import type { Context } from '../context.js';
import { publicProcedure, rateLimit } from '../trpc.js';

/** The API key a request was made with. */
export interface AdminCaller {
  readonly keyId: number;
  readonly keyName: string;
  readonly scopes: readonly ApiKeyScope[];
  /** Who the audit log says acted: `api-key:<name>`. */
  readonly actor: string;
}

/**
 * Bad keys allowed per IP: a burst of 20, refilled at 20 a minute.
 *
 * @example createRateLimiter(BAD_KEY_LIMIT)
 */
export const BAD_KEY_LIMIT = { capacity: 20, refillPerSecond: 20 / 60 } as const;

function unauthorized(ctx: Context, message: string): TRPCError {
  ctx.setHeader('www-authenticate', 'Bearer');
  return new TRPCError({ code: 'UNAUTHORIZED', message });
}

/** The key of an `Authorization: Bearer <key>` header, or null when there is none. */
function bearerKey(ctx: Context): string | null {
  const header = ctx.req.headers.authorization;
  if (typeof header !== 'string' || header.length === 0) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match?.[1] ?? '';
}

/** The scopes that may call, in words: `channels or read or admin`. */
const anyOf = (scopes: readonly ApiKeyScope[]) => [...new Set([...scopes, 'admin'])].join(' or ');

/**
 * The caller's verified key, or a TRPCError: 401 when the key is missing, unknown or revoked (each bad key counts
 * against the IP: past BAD_KEY_LIMIT, 429 with Retry-After), 403 when it has none of `scopes` nor 'admin'.
 */
async function authorizeAdmin(ctx: Context, scopes: readonly ApiKeyScope[]): Promise<AdminCaller> {
  const key = bearerKey(ctx);
  if (key === null) throw unauthorized(ctx, 'an API key is required: send the header Authorization: Bearer <key>');
  const verified = key === '' ? null : await verifyApiKey(ctx.db.query, key);
  if (verified === null) {
    // A key is verified before the limiter is asked, so a valid key still works from an address that sent many bad
    // ones (a scanner sharing an operator's address cannot lock the operator out).
    rateLimit(ctx, ctx.badApiKeys, `ip:${ctx.ip}`, 'bad API key');
    throw unauthorized(ctx, 'the API key is unknown or revoked (send Authorization: Bearer <key>)');
  }
  if (!verified.scopes.includes('admin') && !scopes.some((scope) => verified.scopes.includes(scope))) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `API key "${verified.name}" lacks the scope for this call: it needs ${anyOf(scopes)}, it has ${verified.scopes.join(', ')}`,
    });
  }
  return { keyId: verified.id, keyName: verified.name, scopes: verified.scopes, actor: `api-key:${verified.name}` };
}

/**
 * A procedure for API-key callers with any of `scopes` (a key with 'admin' may call every one). `ctx.admin` is the
 * caller; its `actor` goes into the audit log of every change the procedure makes.
 *
 * @example adminProcedure('roots', 'read').query(({ ctx }) => ctx.admin.actor)
 */
export function adminProcedure(...scopes: [ApiKeyScope, ...ApiKeyScope[]]) {
  return publicProcedure.use(async ({ ctx, next }) => next({ ctx: { admin: await authorizeAdmin(ctx, scopes) } }));
}

/** Where an admin route is served over REST, what it does, and which scopes may call it. */
export interface AdminRoute {
  readonly method: OpenApiMethod;
  /** Under /v1/admin, e.g. '/roots/build'. */
  readonly path: `/${string}`;
  readonly summary: string;
  readonly scopes: readonly [ApiKeyScope, ...ApiKeyScope[]];
}

/**
 * An admin procedure with its REST route: served under /v1/admin, tagged `admin`, documented as bearer-protected with
 * its scopes and error answers.
 *
 * @example adminRoute({ method: 'POST', path: '/roots/build', summary: 'Build the next root now', scopes: ['roots'] })
 */
export function adminRoute(route: AdminRoute) {
  const meta: OpenApiMeta = {
    openapi: {
      method: route.method,
      path: `/v1/admin${route.path}`,
      tags: ['admin'],
      summary: route.summary,
      description: `Needs an API key (Authorization: Bearer <key>) with the scope ${anyOf(route.scopes)}.`,
      protect: true,
      errorResponses: {
        400: 'Invalid input',
        401: 'No API key, or an unknown or revoked one',
        403: 'The API key lacks the scope',
        404: 'Not found',
        412: 'Not possible in this configuration (no chain, direct settlement, no publisher key)',
        429: 'Too many bad API keys from this address',
        500: 'Internal error (the answer names the request id)',
        503: 'The chain RPC failed (retrying is safe), or no mint is configured',
      },
    },
  };
  return adminProcedure(...route.scopes).meta(meta);
}
