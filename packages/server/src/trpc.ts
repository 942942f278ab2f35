// The tRPC instance: context, OpenAPI metadata, and an error formatter that never leaks internals.
import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { RateLimiter } from './auth/rate-limit.js';
import type { Context } from './context.js';

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // Never send a stack: isDev off whatever NODE_ENV says.
    isDev: false,
    // SSE subscriptions: a ping every 15 s keeps proxies from closing quiet streams; clients reconnect after 45 s
    // without one.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 45_000 } },
    errorFormatter({ shape, error, ctx }) {
      if (error.code !== 'INTERNAL_SERVER_ERROR') return shape;
      const requestId = ctx?.requestId ?? 'unknown';
      return { ...shape, message: `internal error (request id ${requestId})` };
    },
  });

/**
 * Builds a router from procedures.
 *
 * @example export const healthRouter = router({ live: publicProcedure.query(() => ({ ok: true })) });
 */
export const router = t.router;

/**
 * The base procedure (every procedure is public; auth-bearing procedures add middleware).
 *
 * @example publicProcedure.meta({ openapi: { method: 'GET', path: '/v1/x' } }).input(z.object({})).output(z.object({}))
 */
export const publicProcedure = t.procedure;

/**
 * A server-side caller factory, for tests and in-process use.
 *
 * @example const caller = createCallerFactory(appRouter)(ctx);
 */
export const createCallerFactory = t.createCallerFactory;

/**
 * Takes one token from `limiter` for `key`, or answers 429 TOO_MANY_REQUESTS with a Retry-After header.
 *
 * @example rateLimit(ctx, claimLimits.perIp, `ip:${ctx.ip}`, 'claim');
 */
export function rateLimit(ctx: Context, limiter: RateLimiter, key: string, what: string): void {
  const wait = limiter.take(key);
  if (wait === 0) return;
  ctx.setHeader('retry-after', String(wait));
  throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `too many ${what} requests; retry in ${wait} s` });
}
