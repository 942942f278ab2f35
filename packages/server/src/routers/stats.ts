// stats.daily (the daily dashboard) and stats.retention (repeat claimers, claim rate by weekly cohort).
import { z } from 'zod';
import { unwrap } from '../errors.js';
import { dailyStats, retentionStats } from '../stats.js';
import { publicProcedure, router } from '../trpc.js';

const day = z.object({
  day: z.string(),
  eligibleUsers: z.number().int(),
  stagedTotal: z.string(),
  chatEvents: z.number().int(),
  newUsers: z.number().int(),
  claims: z.number().int(),
  claimedTotal: z.string(),
});

const cohort = z.object({
  week: z.string(),
  viewers: z.number().int(),
  boundViewers: z.number().int(),
  claimedViewers: z.number().int(),
  claimRate: z.number().nullable(),
});

/** stats.daily and stats.retention. */
export const statsRouter = router({
  daily: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/stats/daily',
        tags: ['stats'],
        summary: 'Per UTC day: eligible users, staged total, chat events, new users and claims',
      },
    })
    .input(
      z.object({
        days: z.coerce.number().int().min(1).max(90).default(7),
        /** The last day shown, YYYY-MM-DD (UTC); today by default. */
        until: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'until must be a YYYY-MM-DD day')
          .optional(),
      }),
    )
    .output(z.object({ days: z.array(day) }))
    .query(async ({ ctx, input }) => ({ days: unwrap(await dailyStats(ctx.db, input)) })),
  retention: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/stats/retention',
        tags: ['stats'],
        summary: 'Claimers, repeat claimers, and the claim rate of weekly cohorts of viewers',
      },
    })
    .input(z.object({ weeks: z.coerce.number().int().min(1).max(104).default(12) }))
    .output(
      z.object({
        claimers: z.number().int(),
        repeatClaimers: z.number().int(),
        cohorts: z.array(cohort),
      }),
    )
    .query(async ({ ctx, input }) => unwrap(await retentionStats(ctx.db, input))),
});
