// Health: live (the process answers) and ready (database, chain, job queue, collectors and chat all working, or why
// not).
import { sql } from '@attention-oracle/db';
import { z } from 'zod';
import type { Context } from '../context.js';
import { pingRedis } from '../observability/redis-ping.js';
import { publicProcedure, router } from '../trpc.js';

const readyOutput = z.object({
  ready: z.boolean(),
  /** Why not ready, in words; empty when ready. */
  reasons: z.array(z.string()),
  checks: z.object({
    database: z.boolean(),
    chain: z.boolean(),
    /** The Redis job queue answers PING; absent without REDIS_URL (jobs then live in the database: see `database`). */
    queue: z.boolean().optional(),
    collectors: z.boolean(),
    chat: z.boolean(),
  }),
});

/** How long the ready check waits for Redis to answer PING. */
const REDIS_PING_TIMEOUT_MS = 1000;

/**
 * Every readiness check; each failure adds a reason.
 *
 * @example const { ready, reasons } = await readiness(ctx);
 */
export async function readiness(ctx: Context): Promise<z.infer<typeof readyOutput>> {
  const reasons: string[] = [];
  const checks: z.infer<typeof readyOutput>['checks'] = {
    database: false,
    chain: false,
    collectors: false,
    chat: false,
  };
  try {
    await ctx.db.query(sql`select 1`);
    checks.database = true;
  } catch (error) {
    ctx.logger.warn({ err: error, requestId: ctx.requestId }, 'ready: database check failed');
    reasons.push('database unreachable');
  }
  if (ctx.chain === null) {
    reasons.push('no chain configured');
  } else {
    try {
      await ctx.chain.client.call('getSlot', [{ commitment: 'confirmed' }]);
      checks.chain = true;
    } catch (error) {
      ctx.logger.warn({ err: error, requestId: ctx.requestId }, 'ready: chain check failed');
      reasons.push('chain RPC unreachable');
    }
  }
  const redisUrl = ctx.env.indexer.REDIS_URL;
  if (redisUrl !== undefined) {
    const answer = await pingRedis(redisUrl, REDIS_PING_TIMEOUT_MS);
    checks.queue = answer.ok;
    if (!answer.ok) {
      ctx.logger.warn({ reason: answer.reason, requestId: ctx.requestId }, 'ready: job queue Redis check failed');
      reasons.push(`job queue Redis unreachable: ${answer.reason}`);
    }
  }
  if (checks.database) {
    const deadAfter = ctx.env.indexer.COLLECTOR_DEAD_AFTER_SECONDS;
    const live = await ctx.db.query<{ n: number }>(sql`select count(*)::int as n from collector_heartbeats
      where status = 'live' and last_heartbeat > now() - make_interval(secs => ${deadAfter}::int)`);
    checks.collectors = (live[0]?.n ?? 0) > 0;
    if (!checks.collectors) reasons.push(`no collector sent a heartbeat in the last ${deadAfter} s`);
    const silence = ctx.env.readyMaxChatSilenceSeconds;
    const cutoffMs = Date.now() - silence * 1000;
    // The epoch bound lets the (epoch, channel) index narrow the scan to the last few epochs.
    const epochSeconds = ctx.env.indexer.EPOCH_SECONDS;
    const firstEpoch = Math.floor(cutoffMs / 1000 / epochSeconds) * epochSeconds;
    const recent = await ctx.db.query(sql`select 1 from chat_events e
      where e.epoch >= ${firstEpoch}::bigint and e.sent_at >= ${cutoffMs}::bigint
        and e.channel_id in (select channel_id from channels where enabled) limit 1`);
    checks.chat = recent.length > 0;
    if (!checks.chat) reasons.push(`no chat event on an enabled channel in the last ${silence} s`);
  }
  return { ready: reasons.length === 0, reasons, checks };
}

/** health.live and health.ready. */
export const healthRouter = router({
  live: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/health/live',
        tags: ['health'],
        summary: 'The process answers',
      },
    })
    .input(z.object({}).optional())
    .output(z.object({ live: z.literal(true) }))
    .query(() => ({ live: true as const })),
  ready: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/health/ready',
        tags: ['health'],
        summary: 'Whether the database, chain, job queue, collectors and chat are all working, with reasons when not',
      },
    })
    .input(z.object({}).optional())
    .output(readyOutput)
    .query(({ ctx }) => readiness(ctx)),
});
