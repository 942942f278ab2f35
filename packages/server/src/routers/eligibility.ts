// eligibility.viewer (bots: by Twitch login or user id, never the wallet) and eligibility.wallet (dApps).
import { z } from 'zod';
import { amountOutput } from '../amounts.js';
import { viewerEligibility, walletEligibility } from '../eligibility.js';
import { unwrap } from '../errors.js';
import { viewerRefInput, walletInput } from '../inputs.js';
import { publicProcedure, router } from '../trpc.js';

const rootRef = {
  rootSeq: z.string().nullable(),
  root: z.string().nullable(),
  validAsOfSlot: z.string().nullable(),
  validAsOfTime: z.string(),
};

/** eligibility.viewer and eligibility.wallet. */
export const eligibilityRouter = router({
  viewer: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/eligibility/viewer',
        tags: ['eligibility'],
        summary: "A viewer's totals, pending credit and rank, by Twitch login or user id (never their wallet)",
      },
    })
    .input(
      z.object({
        ...viewerRefInput,
      }),
    )
    .output(
      z.object({
        ...rootRef,
        userId: z.string(),
        login: z.string().nullable(),
        total: amountOutput,
        pending: amountOutput,
        rank: z.number().int(),
      }),
    )
    .query(async ({ ctx, input }) => unwrap(await viewerEligibility(ctx, input))),
  wallet: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/eligibility/wallet/{wallet}',
        tags: ['eligibility'],
        summary: "A wallet's total, claimed, claimable now and pending amounts",
      },
    })
    .input(z.object({ wallet: walletInput }))
    .output(
      z.object({
        ...rootRef,
        wallet: z.string(),
        total: amountOutput,
        claimed: amountOutput.nullable(),
        claimableNow: amountOutput.nullable(),
        pending: amountOutput,
      }),
    )
    .query(async ({ ctx, input }) => unwrap(await walletEligibility(ctx, input.wallet))),
});
