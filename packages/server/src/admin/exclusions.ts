// admin.suppressions (viewers who opted out) and admin.bots, by Twitch user id: both are dropped by collectors and
// excluded at sealing.
import {
  addBot,
  addSuppression,
  type Bot,
  listBots,
  listSuppressions,
  removeBot,
  removeSuppression,
  type Suppression,
} from '@attention-oracle/indexer';
import { z } from 'zod';
import { fail, ok, unwrap } from '../errors.js';
import { limitInput, loginInput, userIdInput } from '../inputs.js';
import { router } from '../trpc.js';
import { refusingInvalid } from './inputs.js';
import { adminRoute } from './procedure.js';

const entry = { userId: z.string(), createdBy: z.string().nullable(), createdAt: z.string() };
const suppressionOutput = z.object({ ...entry, reason: z.string().nullable() });
const botOutput = z.object({ ...entry, login: z.string().nullable() });

const suppressionOf = (s: Suppression) => ({
  userId: s.userId.toString(),
  reason: s.reason,
  createdBy: s.createdBy,
  createdAt: s.createdAt.toISOString(),
});
const botOf = (b: Bot) => ({
  userId: b.userId.toString(),
  login: b.login,
  createdBy: b.createdBy,
  createdAt: b.createdAt.toISOString(),
});

const page = z.object({
  limit: limitInput(1000, 100),
  /** Only user ids above this one (the last of the previous page). */
  after: userIdInput.optional(),
});

/**
 * admin.suppressions.list, add and remove.
 *
 * @example await client.admin.suppressions.add.mutate({ userId: '123', reason: 'asked by email (ticket 42)' });
 */
export const adminSuppressionsRouter = router({
  list: adminRoute({
    method: 'GET',
    path: '/suppressions',
    summary: 'Viewers who opted out, by ascending user id',
    scopes: ['channels', 'read'],
  })
    .input(page)
    .output(z.object({ suppressions: z.array(suppressionOutput) }))
    .query(async ({ ctx, input }) => {
      const after = input.after === undefined ? undefined : BigInt(input.after);
      return { suppressions: (await listSuppressions(ctx.db.query, { limit: input.limit, after })).map(suppressionOf) };
    }),
  add: adminRoute({
    method: 'POST',
    path: '/suppressions',
    summary: 'Opt a viewer out by user id: their chat is dropped from now on and excluded at sealing',
    scopes: ['channels'],
  })
    .input(z.object({ userId: userIdInput, reason: z.string().trim().min(1).max(500) }))
    .output(z.object({ added: z.boolean(), suppression: suppressionOutput }))
    .mutation(async ({ ctx, input }) => {
      const { added, entry } = unwrap(
        await refusingInvalid(() =>
          addSuppression(ctx.db, { userId: BigInt(input.userId), reason: input.reason, actor: ctx.admin.actor }),
        ),
      );
      return { added, suppression: suppressionOf(entry) };
    }),
  remove: adminRoute({
    method: 'DELETE',
    path: '/suppressions/{userId}',
    summary: "Remove a viewer's opt-out",
    scopes: ['channels'],
  })
    .input(z.object({ userId: userIdInput }))
    .output(z.object({ removed: suppressionOutput }))
    .mutation(async ({ ctx, input }) => {
      const removed = await removeSuppression(ctx.db, { userId: BigInt(input.userId), actor: ctx.admin.actor });
      return unwrap(
        removed === null
          ? fail('NOT_FOUND', `user ${input.userId} has not opted out`)
          : ok({ removed: suppressionOf(removed) }),
      );
    }),
});

/**
 * admin.bots.list, add and remove.
 *
 * @example await client.admin.bots.add.mutate({ userId: '100135110', login: 'streamelements' });
 */
export const adminBotsRouter = router({
  list: adminRoute({
    method: 'GET',
    path: '/bots',
    summary: 'Known bots, by ascending user id',
    scopes: ['channels', 'read'],
  })
    .input(page)
    .output(z.object({ bots: z.array(botOutput) }))
    .query(async ({ ctx, input }) => {
      const after = input.after === undefined ? undefined : BigInt(input.after);
      return { bots: (await listBots(ctx.db.query, { limit: input.limit, after })).map(botOf) };
    }),
  add: adminRoute({
    method: 'POST',
    path: '/bots',
    summary: 'List a user id as a bot: its chat is dropped from now on and excluded at sealing',
    scopes: ['channels'],
  })
    .input(z.object({ userId: userIdInput, login: loginInput.optional() }))
    .output(z.object({ added: z.boolean(), bot: botOutput }))
    .mutation(async ({ ctx, input }) => {
      const { added, entry } = unwrap(
        await refusingInvalid(() =>
          addBot(ctx.db, { userId: BigInt(input.userId), login: input.login, actor: ctx.admin.actor }),
        ),
      );
      return { added, bot: botOf(entry) };
    }),
  remove: adminRoute({
    method: 'DELETE',
    path: '/bots/{userId}',
    summary: 'Remove a user id from the bots',
    scopes: ['channels'],
  })
    .input(z.object({ userId: userIdInput }))
    .output(z.object({ removed: botOutput }))
    .mutation(async ({ ctx, input }) => {
      const removed = await removeBot(ctx.db, { userId: BigInt(input.userId), actor: ctx.admin.actor });
      return unwrap(
        removed === null
          ? fail('NOT_FOUND', `user ${input.userId} is not listed as a bot`)
          : ok({ removed: botOf(removed) }),
      );
    }),
});
