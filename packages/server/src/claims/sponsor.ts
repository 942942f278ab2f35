// claims.sponsor: the server's sponsor fee payer signs and sends claim_global_sponsored for a wallet (which does not
// sign), within the guards on the sponsor's spend: a minimum claim, a daily count per wallet (from audit_log), and
// one claim in flight per wallet (concurrent requests share it).
import { base58Encode } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { audit } from '@attention-oracle/indexer';
import { BlockhashExpiredError, sendAndConfirm, TransactionFailedError } from '@attention-oracle/sdk';
import type { VersionedTransaction } from '@solana/web3.js';
import { type AmountOutput, grossNet } from '../amounts.js';
import type { ServerDeps } from '../context.js';
import { fail, ok, type Result } from '../errors.js';
import { parseWallet } from '../proofs.js';
import { buildClaim } from './build.js';
import { type ClaimError, claimError } from './outcome.js';
import { type ClaimRootRef, claimRootRef, claimTarget, merkleChain } from './target.js';

/** The audit action of a sponsored claim (subject: the wallet). */
export const SPONSOR_ACTION = 'claims.sponsor';

/** How long a sponsor request waits for confirmation before answering `pending` (claims.status follows it up). */
const CONFIRM_WAIT_MS = 30_000;

/** What a sponsored claim came to. */
export interface SponsoredClaim extends ClaimRootRef {
  wallet: string;
  /** What the claim pays: the root's total minus what was claimed, gross and net of the transfer fee. */
  amount: AmountOutput;
  signature: string;
  /** `pending`: sent, not confirmed within the wait (follow it with claims.status). */
  status: 'pending' | 'confirmed' | 'failed';
  /** The slot it landed in, when it did. */
  slot: string | null;
  error: ClaimError | null;
  /** The sponsor fee payer that signed and paid fees and rent. */
  feePayer: string;
}

/** How a send ended; `rejected`: never landed (preflight refused it, or it expired), so the sponsor paid nothing. */
type SendOutcome =
  | { status: 'confirmed'; slot: number }
  | { status: 'pending' }
  | { status: 'failed'; slot: number | null; error: ClaimError }
  | { status: 'rejected'; error: ClaimError };

/**
 * Sends `wallet`'s claim against root `seq` (default the newest published) with the sponsor paying; `actor` is who
 * asked (for the audit log). Concurrent calls for one wallet return the one claim in flight.
 *
 * @example const sent = unwrap(await sponsorClaim(ctx, 'So1...', undefined, `ip:${ctx.ip}`)); console.log(sent.signature);
 */
export async function sponsorClaim(
  deps: ServerDeps,
  wallet: string,
  seq: bigint | undefined,
  actor: string,
): Promise<Result<SponsoredClaim>> {
  const parsed = parseWallet(wallet);
  if (!parsed.ok) return parsed;
  const merkle = merkleChain(deps.chain);
  if (!merkle.ok) return merkle;
  const state = deps.claims;
  const sponsor = state.sponsor();
  if (sponsor.key === null) return fail('PRECONDITION_FAILED', sponsor.reason);
  const running = state.inFlight.get(wallet) as Promise<Result<SponsoredClaim>> | undefined;
  if (running !== undefined) return running;
  const started = send(deps, wallet, seq, actor).finally(() => state.inFlight.delete(wallet));
  state.inFlight.set(wallet, started);
  return started;
}

async function send(
  deps: ServerDeps,
  wallet: string,
  seq: bigint | undefined,
  actor: string,
): Promise<Result<SponsoredClaim>> {
  const { maxPerWalletPerDay, minClaimable } = deps.env.sponsor;
  const sponsor = deps.claims.sponsor().key;
  if (sponsor === null) return fail('PRECONDITION_FAILED', 'no sponsor fee payer key');
  const [usage] = await deps.db.query<{ sent: number }>(sql`select count(*)::int as sent from audit_log
    where action = ${SPONSOR_ACTION} and subject = ${wallet} and at > now() - interval '24 hours'
      and coalesce(details->>'status', '') <> 'rejected'`);
  if ((usage?.sent ?? 0) >= maxPerWalletPerDay) {
    return fail(
      'PRECONDITION_FAILED',
      `wallet ${wallet} had ${usage?.sent} sponsored claims in the last 24 hours (at most ${maxPerWalletPerDay}): ` +
        'claim with claims.prepare (the wallet pays its fee) or try again later',
    );
  }
  const target = await claimTarget(deps, wallet, seq);
  if (!target.ok) return target;
  const t = target.value;
  if (t.claimable < minClaimable) {
    return fail(
      'PRECONDITION_FAILED',
      `the claimable ${t.claimable} is below the ${minClaimable} a sponsored claim must pay: ` +
        'claim with claims.prepare (the wallet pays its fee)',
    );
  }
  const connection = t.chain.client.connection();
  const recent = await connection.getLatestBlockhash('confirmed');
  const built = await buildClaim(deps, t, sponsor.publicKey, recent);
  if (!built.ok) return built;
  const transaction = built.value.transaction;
  await sponsor.signTransaction(transaction);
  const signatureBytes =
    built.value.version === 0
      ? (transaction as VersionedTransaction).signatures[0]
      : (built.value.transaction.signature ?? undefined);
  if (signatureBytes === undefined) throw new Error('the sponsored claim was not signed');
  const signature = base58Encode(signatureBytes);

  let outcome: SendOutcome;
  try {
    const sent = await sendAndConfirm(t.chain.client, transaction, {
      lastValidBlockHeight: recent.lastValidBlockHeight,
      signal: AbortSignal.timeout(CONFIRM_WAIT_MS),
    });
    outcome = { status: 'confirmed', slot: sent.slot };
  } catch (error) {
    if (error instanceof TransactionFailedError) {
      const failure = claimError(error.err, t.chain.programId, error.logs);
      outcome =
        error.stage === 'preflight'
          ? { status: 'rejected', error: failure }
          : { status: 'failed', slot: error.slot ?? null, error: failure };
    } else if (error instanceof BlockhashExpiredError) {
      outcome = { status: 'rejected', error: { name: 'BlockhashExpired', message: error.message } };
    } else {
      // Timed out or the RPC failed: it may still land; claims.status follows it.
      deps.logger.warn({ err: error, signature }, 'sponsored claim not confirmed yet');
      outcome = { status: 'pending' };
    }
  }

  const fee = deps.feeFor?.(t.claimable) ?? null;
  await audit(deps.db.query, actor, SPONSOR_ACTION, wallet, {
    status: outcome.status,
    signature,
    rootSeq: t.root.record.seq,
    amount: t.claimable,
    fee,
    sponsor: sponsor.publicKey.toBase58(),
    slot: 'slot' in outcome ? outcome.slot : null,
    error: 'error' in outcome ? outcome.error.name : null,
  });
  return ok({
    wallet,
    ...claimRootRef(t),
    amount: grossNet(t.claimable, deps.feeFor),
    signature,
    status: outcome.status === 'rejected' ? 'failed' : outcome.status,
    slot: 'slot' in outcome && outcome.slot !== null ? String(outcome.slot) : null,
    error: 'error' in outcome ? outcome.error : null,
    feePayer: sponsor.publicKey.toBase58(),
  });
}
