// Subscriptions for bots over SSE (tRPC's httpSubscriptionLink on /trpc): newly published roots, and a viewer's
// allocations per sealed epoch. Every event is tracked: a client that reconnects with lastEventId misses nothing.
import { TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import { amountOutput, grossNet } from '../amounts.js';
import { unwrap } from '../errors.js';
import { viewerRefInput } from '../inputs.js';
import {
  type EpochAllocations,
  newestPublishedSeq,
  newestSealedEpoch,
  PAGE,
  type PublishedRoot,
  publishedAfter,
  viewerAllocationsAfter,
} from '../subscriptions/feeds.js';
import type { Feed } from '../subscriptions/hub.js';
import { publicProcedure, router } from '../trpc.js';
import { findViewer } from '../viewers.js';

/** A published root as announced. */
const rootEvent = z.object({
  seq: z.string(),
  /** The root, lowercase hex. */
  root: z.string(),
  /** The slot it was published in. */
  slot: z.string().nullable(),
  wallets: z.number().int(),
  /** Sum of the cumulative totals, base units, decimal. */
  total: z.string(),
  publishedAt: z.string().nullable(),
});

/** A viewer's allocations of one sealed epoch, as announced. */
const allocationsEvent = z.object({
  epoch: z.number().int(),
  userId: z.string(),
  allocations: z.array(z.object({ channel: z.string(), amount: amountOutput })),
  total: amountOutput,
});

/** The id of the last event a client got; it resumes after it. */
const lastEventId = (what: string) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,18})$/, `lastEventId must be a ${what} this subscription sent`)
    .nullish();

const toRootEvent = (root: PublishedRoot): z.infer<typeof rootEvent> =>
  rootEvent.parse({
    seq: root.seq.toString(),
    root: root.root,
    slot: root.slot === null ? null : root.slot.toString(),
    wallets: root.wallets,
    total: root.total.toString(),
    publishedAt: root.publishedAt === null ? null : root.publishedAt.toISOString(),
  });

/** Events after `after`: first what the database holds (catch-up), then what the feed brings, never twice. */
async function* resume<T, K extends bigint | number>(
  feed: Feed<T>,
  after: K,
  keyOf: (item: T) => K,
  readAfter: (after: K) => Promise<T[]>,
): AsyncGenerator<T> {
  try {
    let last = after;
    for (;;) {
      const page = await readAfter(last);
      for (const item of page) {
        yield item;
        last = keyOf(item);
      }
      if (page.length < PAGE) break;
    }
    for (let item = await feed.next(); item !== null; item = await feed.next()) {
      if (keyOf(item) <= last) continue;
      yield item;
      last = keyOf(item);
    }
  } finally {
    feed.close();
  }
}

/** subscriptions.rootPublished and subscriptions.viewerAllocations. */
export const subscriptionsRouter = router({
  rootPublished: publicProcedure
    .input(z.object({ lastEventId: lastEventId('root seq') }).optional())
    .subscription(async ({ ctx, input, signal }) => {
      const mint = ctx.mint;
      if (mint === null) {
        throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'no mint configured: no root is ever published' });
      }
      const feed = await ctx.subscriptions.roots(signal);
      const after = await startingPoint(feed, input?.lastEventId, BigInt, () => newestPublishedSeq(ctx.db, mint));
      return (async function* () {
        for await (const root of resume(
          feed,
          after,
          (r) => r.seq,
          (seq) => publishedAfter(ctx.db, mint, seq),
        )) {
          yield tracked(root.seq.toString(), toRootEvent(root));
        }
      })();
    }),
  viewerAllocations: publicProcedure
    .input(
      z.object({
        ...viewerRefInput,
        lastEventId: lastEventId('sealed epoch'),
      }),
    )
    .subscription(async ({ ctx, input, signal }) => {
      const { userId } = unwrap(await findViewer(ctx.db, input));
      const feed = await ctx.subscriptions.allocations(userId, signal);
      const after = await startingPoint(feed, input.lastEventId, Number, () => newestSealedEpoch(ctx.db));
      const toEvent = (entry: EpochAllocations): z.infer<typeof allocationsEvent> =>
        allocationsEvent.parse({
          epoch: entry.epoch,
          userId: entry.userId,
          allocations: entry.allocations.map((a) => ({ channel: a.channel, amount: grossNet(a.amount, ctx.feeFor) })),
          total: grossNet(
            entry.allocations.reduce((sum, a) => sum + a.amount, 0n),
            ctx.feeFor,
          ),
        });
      return (async function* () {
        const events = resume(
          feed,
          after,
          (e) => e.epoch,
          (epoch) => viewerAllocationsAfter(ctx.db, userId, epoch),
        );
        for await (const entry of events) yield tracked(String(entry.epoch), toEvent(entry));
      })();
    }),
});

/** Where a subscription resumes: after the client's lastEventId, else after what is newest now. */
async function startingPoint<K>(
  feed: Feed<unknown>,
  given: string | null | undefined,
  parse: (id: string) => K,
  newest: () => Promise<K>,
): Promise<K> {
  try {
    return given == null ? await newest() : parse(given);
  } catch (error) {
    feed.close();
    throw error;
  }
}
