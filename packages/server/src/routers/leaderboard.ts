// leaderboard.global, leaderboard.channel and leaderboard.rank: viewers by total allocated in sealed epochs (opted-out
// viewers left out), never their wallets.
import { z } from 'zod';
import { unwrap } from '../errors.js';
import { loginInput, viewerRefInput } from '../inputs.js';
import { channelLeaderboard, globalLeaderboard, viewerRank } from '../leaderboard.js';
import { publicProcedure, router } from '../trpc.js';

const entry = z.object({
  rank: z.number().int(),
  /** 'legacy' for legacy viewers not yet linked to a Twitch account. */
  login: z.string().nullable(),
  /** Total allocated, base units, decimal. */
  total: z.string(),
});

const limit = z.coerce.number().int().min(1).max(100).default(10);

/** leaderboard.global, leaderboard.channel and leaderboard.rank. */
export const leaderboardRouter = router({
  global: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/leaderboard',
        tags: ['leaderboard'],
        summary: 'Top viewers by total allocated across all channels',
      },
    })
    .input(z.object({ limit }))
    .output(z.object({ entries: z.array(entry) }))
    .query(async ({ ctx, input }) => ({ entries: await globalLeaderboard(ctx.db, input.limit) })),
  channel: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/leaderboard/channel/{channel}',
        tags: ['leaderboard'],
        summary: "Top viewers by total allocated in one channel, by the channel's login",
      },
    })
    .input(z.object({ channel: loginInput, limit }))
    .output(z.object({ channel: z.string(), entries: z.array(entry) }))
    .query(async ({ ctx, input }) => unwrap(await channelLeaderboard(ctx.db, input.channel, input.limit))),
  rank: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/leaderboard/rank',
        tags: ['leaderboard'],
        summary: "A viewer's global rank (null: nothing allocated, or opted out) and total, by login or user id",
      },
    })
    .input(
      z.object({
        ...viewerRefInput,
      }),
    )
    .output(
      z.object({
        userId: z.string(),
        login: z.string().nullable(),
        total: z.string(),
        rank: z.number().int().nullable(),
      }),
    )
    .query(async ({ ctx, input }) => unwrap(await viewerRank(ctx.db, input))),
});
