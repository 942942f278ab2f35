// admin.corrections: audited changes to a viewer's credit (positive: credited now; negative: withheld from future
// credit), and the list of them.
import { base58Encode } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { addCorrection } from '@attention-oracle/indexer';
import { z } from 'zod';
import { unwrap } from '../errors.js';
import { limitInput, rowIdInput } from '../inputs.js';
import { router } from '../trpc.js';
import { refusingInvalid } from './inputs.js';
import { adminRoute } from './procedure.js';

const viewerInput = z
  .string()
  .regex(
    /^([1-9][0-9]{0,18}|legacy:[0-9a-f]{64})$/,
    'viewer must be a numeric Twitch user id or legacy:<64 hex digits of the login hash>',
  );

const correctionOutput = z.object({
  id: z.number().int(),
  viewer: z.string(),
  /** 'credit' (credited at once) or 'offset' (withheld from future credit). */
  kind: z.enum(['credit', 'offset']),
  /** Base units, decimal, never negative: the kind says which way. */
  amount: z.string(),
  /** For offsets: what is still to be withheld. */
  remaining: z.string(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

interface CorrectionRow {
  id: string;
  viewer: string;
  kind: 'credit' | 'offset';
  amount: string;
  remaining: string;
  reason: string;
  created_by: string;
  created_at: Date | string;
}

/**
 * admin.corrections.add and list.
 *
 * @example await client.admin.corrections.add.mutate({ viewer: '123', amount: '-500', reason: 'double-counted raid' });
 */
export const adminCorrectionsRouter = router({
  add: adminRoute({
    method: 'POST',
    path: '/corrections',
    summary: "Correct a viewer's credit: a positive amount is credited now, a negative one withheld from future credit",
    scopes: ['admin'],
  })
    .input(
      z.object({
        viewer: viewerInput,
        /** Signed base units, decimal, never zero. */
        amount: z.string().regex(/^-?[1-9][0-9]{0,19}$/, 'amount must be a non-zero whole number of base units'),
        reason: z.string().trim().min(1).max(500),
      }),
    )
    .output(
      z.object({
        correctionId: z.number().int(),
        kind: z.enum(['credit', 'offset']),
        /** For a credit: the wallet credited, or null while the viewer has bound none. */
        wallet: z.string().nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = unwrap(
        await refusingInvalid(() =>
          addCorrection(ctx.db, {
            viewer: input.viewer,
            amount: BigInt(input.amount),
            reason: input.reason,
            actor: ctx.admin.actor,
          }),
        ),
      );
      const wallet = result.kind === 'credit' && result.wallet !== null ? base58Encode(result.wallet) : null;
      return { correctionId: result.correctionId, kind: result.kind, wallet };
    }),
  list: adminRoute({
    method: 'GET',
    path: '/corrections',
    summary: "Corrections, newest first, optionally one viewer's",
    scopes: ['claims', 'read'],
  })
    .input(
      z.object({
        viewer: viewerInput.optional(),
        limit: limitInput(500, 100),
        before: rowIdInput.optional(),
      }),
    )
    .output(z.object({ corrections: z.array(correctionOutput) }))
    .query(async ({ ctx, input }) => {
      const viewer = input.viewer === undefined ? sql`` : sql`and viewer = ${input.viewer}`;
      const before = input.before === undefined ? sql`` : sql`and id < ${input.before}::bigint`;
      const rows = await ctx.db.query<CorrectionRow>(sql`
        select id::text as id, viewer, kind, amount::text as amount, remaining::text as remaining, reason, created_by,
          created_at
        from corrections where true ${viewer} ${before} order by id desc limit ${input.limit}::int`);
      return {
        corrections: rows.map((r) => ({
          id: Number(r.id),
          viewer: r.viewer,
          kind: r.kind,
          amount: r.amount,
          remaining: r.remaining,
          reason: r.reason,
          createdBy: r.created_by,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
    }),
});
