// claims.prepare (user-signed), claims.sponsor (the server pays fees), claims.direct (direct settlement) and
// claims.status. Sponsor and direct claims may be asked for any wallet (they pay only to that wallet's own total),
// so they need no session; rate limits per client address and per wallet (and viewer, when logged in) guard them.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { amountOutput } from '../amounts.js';
import { directClaim } from '../claims/direct.js';
import { prepareClaim } from '../claims/prepare.js';
import { sponsorClaim } from '../claims/sponsor.js';
import { claimStatus } from '../claims/status.js';
import type { Context } from '../context.js';
import { type Result, unwrap } from '../errors.js';
import { seqInput, walletInput } from '../inputs.js';
import { publicProcedure, rateLimit, router } from '../trpc.js';

const wallet = walletInput;
const seq = seqInput.optional();
const claimError = z.object({ name: z.string(), message: z.string() }).nullable();
const rootRef = { rootSeq: z.string(), root: z.string(), rootSlot: z.string().nullable(), validAsOfSlot: z.string() };

/** Takes the claim rate-limit tokens of this request: per client address, per wallet, per viewer when logged in. */
function limitClaims(ctx: Context, walletAddress: string): void {
  const { limits } = ctx.claims;
  rateLimit(ctx, limits.perIp, `ip:${ctx.ip}`, 'claim');
  rateLimit(ctx, limits.perWallet, `wallet:${walletAddress}`, 'claim');
  if (ctx.session !== null) rateLimit(ctx, limits.perWallet, `viewer:${ctx.session.userId}`, 'claim');
}

/** Who asked, for the audit log. */
function actorOf(ctx: Context): string {
  return ctx.session !== null ? `viewer:${ctx.session.userId}` : `ip:${ctx.ip}`;
}

/**
 * Runs a claim submission after its rate limits, counting it on `claimsSubmitted` by kind and its status (or the
 * refusal's code), and unwraps it.
 */
async function submit<T extends { status: string }>(
  ctx: Context,
  kind: 'merkle' | 'direct',
  wallet: string,
  run: () => Promise<Result<T>>,
): Promise<T> {
  let result: Result<T>;
  try {
    limitClaims(ctx, wallet);
    result = await run();
  } catch (error) {
    ctx.metrics.claimsSubmitted.inc({
      kind,
      status: error instanceof TRPCError ? error.code : 'INTERNAL_SERVER_ERROR',
    });
    throw error;
  }
  ctx.metrics.claimsSubmitted.inc({ kind, status: result.ok ? result.value.status : result.failure.code });
  return unwrap(result);
}

const optionalSeq = (value: string | undefined) => (value === undefined ? undefined : BigInt(value));

/** claims.prepare, claims.sponsor, claims.direct and claims.status. */
export const claimsRouter = router({
  prepare: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        protect: false,
        path: '/v1/claims/prepare',
        tags: ['claims'],
        summary: "The unsigned claim transaction for a wallet's proof (the wallet signs, sends and pays its fee)",
      },
    })
    .input(z.object({ wallet, seq }))
    .output(
      z.object({
        ...rootRef,
        wallet: z.string(),
        total: amountOutput,
        claimed: amountOutput,
        claimable: amountOutput,
        transaction: z.string(),
        version: z.enum(['legacy', 'v0']),
        size: z.number().int(),
        lookupTable: z.string().nullable(),
        feePayer: z.string(),
        recentBlockhash: z.string(),
        lastValidBlockHeight: z.number().int(),
      }),
    )
    .mutation(async ({ ctx, input }) => unwrap(await prepareClaim(ctx, input.wallet, optionalSeq(input.seq)))),
  sponsor: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        protect: false,
        path: '/v1/claims/sponsor',
        tags: ['claims'],
        summary: "Claims for a wallet with the server's sponsor paying fees and rent (the wallet does not sign)",
      },
    })
    .input(z.object({ wallet, seq }))
    .output(
      z.object({
        ...rootRef,
        wallet: z.string(),
        amount: amountOutput,
        signature: z.string(),
        status: z.enum(['pending', 'confirmed', 'failed']),
        slot: z.string().nullable(),
        error: claimError,
        feePayer: z.string(),
      }),
    )
    .mutation(({ ctx, input }) =>
      submit(ctx, 'merkle', input.wallet, () => sponsorClaim(ctx, input.wallet, optionalSeq(input.seq), actorOf(ctx))),
    ),
  direct: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        protect: false,
        path: '/v1/claims/direct',
        tags: ['claims'],
        summary: 'In direct settlement: the treasury pays a wallet what it is owed and not yet paid',
      },
    })
    .input(z.object({ wallet }))
    .output(
      z.object({
        wallet: z.string(),
        claimId: z.number().int(),
        status: z.enum(['pending', 'confirmed', 'failed']),
        signature: z.string().nullable(),
        slot: z.string().nullable(),
        amount: amountOutput.nullable(),
        error: claimError,
      }),
    )
    .mutation(({ ctx, input }) =>
      submit(ctx, 'direct', input.wallet, () => directClaim(ctx, input.wallet, actorOf(ctx))),
    ),
  status: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/claims/status',
        tags: ['claims'],
        summary: "A claim's status by transaction signature, or by direct claim id",
      },
    })
    .input(
      z
        .object({
          signature: z
            .string()
            .regex(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/, 'signature must be a base58 transaction signature')
            .optional(),
          claimId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
        })
        .refine((v) => (v.signature === undefined) !== (v.claimId === undefined), {
          message: 'give exactly one of signature and claimId',
        }),
    )
    .output(
      z.object({
        kind: z.enum(['merkle', 'direct']),
        status: z.enum(['not-found', 'pending', 'confirmed', 'finalized', 'failed']),
        signature: z.string().nullable(),
        claimId: z.number().int().nullable(),
        rootSeq: z.string().nullable(),
        slot: z.string().nullable(),
        amount: amountOutput.nullable(),
        error: claimError,
      }),
    )
    .query(async ({ ctx, input }) =>
      unwrap(
        await claimStatus(
          ctx,
          input.signature !== undefined ? { signature: input.signature } : { claimId: input.claimId ?? 0 },
        ),
      ),
    ),
});
