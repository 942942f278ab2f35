// proofs.get: a wallet's proof for a servable root (default: the newest).
import { z } from 'zod';
import { unwrap } from '../errors.js';
import { proofFor } from '../proofs.js';
import { publicProcedure, router } from '../trpc.js';

const proofOutput = z.object({
  rootSeq: z.string(),
  root: z.string(),
  leafVersion: z.enum(['v4', 'v5']),
  validAsOfSlot: z.string().nullable(),
  validAsOfTime: z.string(),
  finalized: z.boolean(),
  wallet: z.string(),
  index: z.number().int(),
  amountGross: z.string(),
  amountNet: z.string().nullable(),
  baseYield: z.string().nullable(),
  attentionBonus: z.string().nullable(),
  proof: z.array(z.string()),
});

/** proofs.get. */
export const proofsRouter = router({
  get: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/v1/proofs',
        tags: ['proofs'],
        summary: "A wallet's proof for a servable root seq, or the newest published",
      },
    })
    .input(
      z.object({
        wallet: z.string().min(1).max(64),
        seq: z
          .string()
          .regex(/^[1-9][0-9]{0,18}$/, 'seq must be a positive integer')
          .optional(),
      }),
    )
    .output(proofOutput)
    .query(({ ctx, input }) => {
      const answer = unwrap(
        proofFor(ctx.trees, ctx.feeFor, input.wallet, input.seq === undefined ? undefined : BigInt(input.seq)),
      );
      ctx.metrics.proofsServedVia.trpc.inc();
      return answer;
    }),
});
