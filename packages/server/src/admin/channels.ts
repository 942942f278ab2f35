// admin.channels: the channels with their opt-in and last chat event; enabling (opting in) and disabling them.
import { sql } from '@attention-oracle/db';
import { disableChannel, enableChannels } from '@attention-oracle/indexer';
import { z } from 'zod';
import { fail, ok, unwrap } from '../errors.js';
import { limitInput, loginInput } from '../inputs.js';
import { router } from '../trpc.js';
import { refusingInvalid } from './inputs.js';
import { adminRoute } from './procedure.js';

/**
 * How far back the last chat event of a channel is looked for (older is reported as none).
 *
 * @example const since = Date.now() / 1000 - LAST_EVENT_WINDOW_DAYS * 86_400;
 */
export const LAST_EVENT_WINDOW_DAYS = 30;

const channelOutput = z.object({
  login: z.string(),
  /** The Twitch room id, once known. */
  channelId: z.string().nullable(),
  enabled: z.boolean(),
  /** When it was last opted in, and by whom. */
  enabledAt: z.string().nullable(),
  enabledBy: z.string().nullable(),
  /** When discovery last proposed it, with its viewer count then. */
  proposedAt: z.string().nullable(),
  viewerCount: z.number().int().nullable(),
  /** Its newest chat event within LAST_EVENT_WINDOW_DAYS, or null. */
  lastEventAt: z.string().nullable(),
});

interface ChannelRow {
  login: string;
  channel_id: string | null;
  enabled: boolean;
  enabled_at: Date | string | null;
  enabled_by: string | null;
  proposed_at: Date | string | null;
  viewer_count: number | null;
  last_sent_at: string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * admin.channels.list, enable and disable.
 *
 * @example await client.admin.channels.enable.mutate({ logins: ['some_streamer'] });
 */
export const adminChannelsRouter = router({
  list: adminRoute({
    method: 'GET',
    path: '/channels',
    summary: 'Channels by login: enabled, opted in at and by, proposed, last chat event',
    scopes: ['channels', 'read'],
  })
    .input(
      z.object({
        status: z.enum(['all', 'enabled', 'disabled']).default('all'),
        limit: limitInput(500, 100),
        /** Only logins after this one (the last login of the previous page). */
        after: loginInput.optional(),
      }),
    )
    .output(z.object({ channels: z.array(channelOutput) }))
    .query(async ({ ctx, input }) => {
      const epochSeconds = ctx.env.indexer.EPOCH_SECONDS;
      const since = Date.now() / 1000 - LAST_EVENT_WINDOW_DAYS * 86_400;
      const firstEpoch = Math.floor(since / epochSeconds) * epochSeconds;
      const status =
        input.status === 'all' ? sql`true` : input.status === 'enabled' ? sql`c.enabled` : sql`not c.enabled`;
      const after = input.after === undefined ? sql`` : sql`and c.login > ${input.after.toLowerCase()}`;
      // The (epoch, channel) index, read backwards from the newest epoch, finds a channel's last event.
      const rows = await ctx.db.query<ChannelRow>(sql`
        select c.login, c.channel_id::text as channel_id, c.enabled, c.enabled_at, c.enabled_by, c.proposed_at,
          c.viewer_count, last.sent_at::text as last_sent_at
        from channels c
        left join lateral (select e.sent_at from chat_events e
          where e.channel_id = c.channel_id and e.epoch >= ${firstEpoch}::bigint
          order by e.epoch desc, e.sent_at desc limit 1) last on true
        where ${status} ${after}
        order by c.login limit ${input.limit}::int`);
      return {
        channels: rows.map((r) => ({
          login: r.login,
          channelId: r.channel_id,
          enabled: r.enabled,
          enabledAt: iso(r.enabled_at),
          enabledBy: r.enabled_by,
          proposedAt: iso(r.proposed_at),
          viewerCount: r.viewer_count,
          lastEventAt: r.last_sent_at === null ? null : new Date(Number(r.last_sent_at)).toISOString(),
        })),
      };
    }),
  enable: adminRoute({
    method: 'POST',
    path: '/channels/enable',
    summary: 'Opt channels in by login (creating them): they earn from the next sealed epoch',
    scopes: ['channels'],
  })
    .input(z.object({ logins: z.array(loginInput).min(1).max(100) }))
    .output(z.object({ enabled: z.array(z.string()).describe('The logins that were not enabled before') }))
    .mutation(async ({ ctx, input }) => {
      const enabled = unwrap(await refusingInvalid(() => enableChannels(ctx.db, input.logins, ctx.admin.actor)));
      return { enabled };
    }),
  disable: adminRoute({
    method: 'POST',
    path: '/channels/disable',
    summary: 'Disable a channel: it stops earning from the next sealed epoch; its history stays',
    scopes: ['channels'],
  })
    .input(z.object({ login: loginInput }))
    .output(z.object({ login: z.string(), enabled: z.literal(false) }))
    .mutation(async ({ ctx, input }) => {
      const login = input.login.toLowerCase();
      const found = await disableChannel(ctx.db, login, ctx.admin.actor);
      return unwrap(found ? ok({ login, enabled: false as const }) : fail('NOT_FOUND', `there is no channel ${login}`));
    }),
});
