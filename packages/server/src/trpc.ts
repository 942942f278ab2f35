// The tRPC instance: context, OpenAPI metadata, and an error formatter that never leaks internals.
import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import type { Context } from './context.js';

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // Never send a stack: isDev off whatever NODE_ENV says.
    isDev: false,
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
