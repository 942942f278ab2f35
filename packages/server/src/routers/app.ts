// The application router: every router the server exposes.
import { router } from '../trpc.js';
import { adminRouter } from './admin.js';
import { claimsRouter } from './claims.js';
import { datasetsRouter } from './datasets.js';
import { eligibilityRouter } from './eligibility.js';
import { epochsRouter } from './epochs.js';
import { healthRouter } from './health.js';
import { leaderboardRouter } from './leaderboard.js';
import { proofsRouter } from './proofs.js';
import { statsRouter } from './stats.js';
import { subscriptionsRouter } from './subscriptions.js';

/**
 * The root router (its type is what @trpc/client uses).
 *
 * @example const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/trpc` })] });
 */
export const appRouter = router({
  health: healthRouter,
  epochs: epochsRouter,
  eligibility: eligibilityRouter,
  proofs: proofsRouter,
  datasets: datasetsRouter,
  leaderboard: leaderboardRouter,
  stats: statsRouter,
  claims: claimsRouter,
  admin: adminRouter,
  subscriptions: subscriptionsRouter,
});

/** The type of {@link appRouter}. */
export type AppRouter = typeof appRouter;
