// admin.claims: debugging a wallet's claims: the direct-settlement claims (by wallet and status, or one by id), the
// audit rows that mention the wallet, and the program's claim events recorded for it.
import { sql } from '@attention-oracle/db';
import { type ClaimRecord, listClaims, readClaim } from '@attention-oracle/indexer';
import { z } from 'zod';
import { fail, ok, unwrap } from '../errors.js';
import { hex } from '../hex.js';
import { limitInput, rowIdInput, walletInput } from '../inputs.js';
import { parseWallet } from '../proofs.js';
import { router } from '../trpc.js';
import { auditEntries, auditEntryOutput } from './audit.js';
import { isoOrNull } from './inputs.js';
import { adminRoute } from './procedure.js';

const claimOutput = z.object({
  id: z.number().int(),
  wallet: z.string(),
  status: z.enum(['reserved', 'pending', 'settled', 'failed', 'voided']),
  /** Gross base units, decimal. */
  amount: z.string(),
  fee: z.string().nullable(),
  total: z.string(),
  paidBefore: z.string(),
  signature: z.string().nullable(),
  lastValidBlockHeight: z.number().nullable(),
  slot: z.number().nullable(),
  error: z.string().nullable(),
  requestedBy: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const claimOf = (c: ClaimRecord): z.infer<typeof claimOutput> => ({
  id: c.id,
  wallet: c.address,
  status: c.status,
  amount: c.amount.toString(),
  fee: c.fee === null ? null : c.fee.toString(),
  total: c.total.toString(),
  paidBefore: c.paidBefore.toString(),
  signature: c.signature,
  lastValidBlockHeight: c.lastValidBlockHeight,
  slot: c.slot,
  error: c.error,
  requestedBy: c.requestedBy,
  createdAt: c.createdAt.toISOString(),
  sentAt: isoOrNull(c.sentAt),
  finishedAt: isoOrNull(c.finishedAt),
});

const chainClaimOutput = z.object({
  signature: z.string(),
  eventIndex: z.number().int(),
  /** The gross delta transferred, and the cumulative total claimed after it. */
  amount: z.string(),
  cumulativeTotal: z.string(),
  rootSeq: z.string(),
  slot: z.string(),
  blockTime: z.string().nullable(),
});

interface ChainClaimRow {
  signature: string;
  event_index: number;
  amount: string;
  cumulative_total: string;
  root_seq: string;
  slot: string;
  block_time: Date | string | null;
}

const walletPath = z.object({ wallet: walletInput, limit: limitInput(500, 100) });

/**
 * admin.claims.list, get, audit and chain.
 *
 * @example const { claims } = await client.admin.claims.list.query({ wallet, status: 'pending' });
 */
export const adminClaimsRouter = router({
  list: adminRoute({
    method: 'GET',
    path: '/claims',
    summary: 'Direct-settlement claims, newest first, by wallet and status',
    scopes: ['claims', 'read'],
  })
    .input(
      z.object({
        wallet: walletInput.optional(),
        status: z.enum(['reserved', 'pending', 'settled', 'failed', 'voided']).optional(),
        limit: limitInput(500, 100),
      }),
    )
    .output(z.object({ claims: z.array(claimOutput) }))
    .query(async ({ ctx, input }) => {
      const wallet = input.wallet === undefined ? undefined : unwrap(parseWallet(input.wallet));
      const claims = await listClaims(ctx.db.query, { wallet, status: input.status, limit: input.limit });
      return { claims: claims.map(claimOf) };
    }),
  get: adminRoute({
    method: 'GET',
    path: '/claims/{id}',
    summary: 'One direct-settlement claim by id',
    scopes: ['claims', 'read'],
  })
    .input(z.object({ id: rowIdInput }))
    .output(claimOutput)
    .query(async ({ ctx, input }) => {
      const claim = await readClaim(ctx.db.query, input.id);
      return unwrap(claim === null ? fail('NOT_FOUND', `there is no claim ${input.id}`) : ok(claimOf(claim)));
    }),
  audit: adminRoute({
    method: 'GET',
    path: '/claims/wallet/{wallet}/audit',
    summary: 'Audit rows that mention a wallet (claims, bindings, corrections), newest first',
    scopes: ['claims', 'read'],
  })
    .input(walletPath.extend({ before: rowIdInput.optional() }))
    .output(z.object({ wallet: z.string(), entries: z.array(auditEntryOutput) }))
    .query(async ({ ctx, input }) => {
      const bytes = unwrap(parseWallet(input.wallet));
      // Claims record the wallet in hex, bindings and corrections in base58. No index serves this: it scans the log.
      const where = sql`subject = ${input.wallet} or details->>'wallet' in (${input.wallet}, ${hex(bytes)})
        or details->>'previous' = ${input.wallet}`;
      return { wallet: input.wallet, entries: await auditEntries(ctx.db.query, where, input) };
    }),
  chain: adminRoute({
    method: 'GET',
    path: '/claims/wallet/{wallet}/chain',
    summary: "The program's claim events recorded for a wallet (chain_claims), newest first",
    scopes: ['claims', 'read'],
  })
    .input(walletPath)
    .output(z.object({ wallet: z.string(), claims: z.array(chainClaimOutput) }))
    .query(async ({ ctx, input }) => {
      const bytes = unwrap(parseWallet(input.wallet));
      const rows = await ctx.db.query<ChainClaimRow>(sql`
        select signature, event_index, amount::text as amount, cumulative_total::text as cumulative_total,
          root_seq::text as root_seq, slot::text as slot, block_time
        from chain_claims where claimer = ${bytes} order by slot desc, signature, event_index
        limit ${input.limit}::int`);
      return {
        wallet: input.wallet,
        claims: rows.map((r) => ({
          signature: r.signature,
          eventIndex: r.event_index,
          amount: r.amount,
          cumulativeTotal: r.cumulative_total,
          rootSeq: r.root_seq,
          slot: r.slot,
          blockTime: r.block_time === null ? null : new Date(r.block_time).toISOString(),
        })),
      };
    }),
});
