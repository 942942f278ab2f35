// claims.direct: in direct settlement (no program), the treasury pays a wallet what it is owed and not yet paid,
// through the indexer's direct settlement (reserve, caps, one transfer_checked, reconcile); this only adapts it.
import { audit, type ChainContext, createDirectSettlement, type DirectSettlement } from '@attention-oracle/indexer';
import { type AmountOutput, grossNet } from '../amounts.js';
import type { ServerDeps } from '../context.js';
import { fail, ok, type Result } from '../errors.js';
import { parseWallet } from '../proofs.js';
import type { ClaimError } from './outcome.js';

/** The audit action of a direct claim request (subject: the wallet); the settlement audits how it ends too. */
export const DIRECT_ACTION = 'claims.direct';

/** What a direct claim came to. */
export interface DirectClaim {
  wallet: string;
  /** The claim's id (follow it with claims.status). */
  claimId: number;
  /** `pending`: sent, its confirmation not seen yet (reconcile finishes it). */
  status: 'pending' | 'confirmed' | 'failed';
  signature: string | null;
  slot: string | null;
  /** What was transferred, gross and net of the fee withheld (known once it landed). */
  amount: AmountOutput | null;
  error: ClaimError | null;
}

/**
 * The direct settlement of this server's chain, or why there is none (not direct mode, no treasury authority key).
 *
 * @example const settlement = directSettlementOf(ctx); if (settlement.ok) await settlement.value.paidTo(wallet);
 */
export function directSettlementOf(deps: ServerDeps): Result<DirectSettlement> {
  const chain: ChainContext | null = deps.chain;
  if (chain === null) return fail('PRECONDITION_FAILED', 'no chain configured: claims need one');
  if (chain.settlement !== 'direct') {
    return fail(
      'PRECONDITION_FAILED',
      `settlement is merkle (${chain.settlementReason}): claim through the program with claims.prepare or claims.sponsor`,
    );
  }
  const authority = chain.treasuryAuthority;
  if (authority === undefined) {
    return fail('PRECONDITION_FAILED', 'direct claims are off: the server has no treasury authority key loaded');
  }
  const state = deps.claims;
  const { DIRECT_MAX_PER_CLAIM, DIRECT_MAX_PER_WALLET_PER_DAY, DIRECT_MAX_PER_DAY } = deps.env.indexer;
  state.direct ??= createDirectSettlement({
    db: deps.db,
    client: chain.client,
    mint: chain.mint,
    treasuryAccount: chain.treasury,
    treasuryAuthority: authority,
    caps: {
      perClaim: DIRECT_MAX_PER_CLAIM,
      perWalletPerDay: DIRECT_MAX_PER_WALLET_PER_DAY,
      perDay: DIRECT_MAX_PER_DAY,
    },
    actor: 'server',
    log: (message, details) => deps.logger.info(details ?? {}, message),
  });
  return ok(state.direct);
}

/**
 * Pays `wallet` the delta between its total and what direct claims paid it; `actor` is who asked (audit log).
 *
 * @example const paid = unwrap(await directClaim(ctx, 'So1...', `ip:${ctx.ip}`)); console.log(paid.status);
 */
export async function directClaim(deps: ServerDeps, wallet: string, actor: string): Promise<Result<DirectClaim>> {
  const parsed = parseWallet(wallet);
  if (!parsed.ok) return parsed;
  const settlement = directSettlementOf(deps);
  if (!settlement.ok) return settlement;
  const result = await settlement.value.claim(parsed.value, { requestedBy: actor });
  let answer: DirectClaim;
  switch (result.status) {
    case 'nothing-to-claim':
      return fail(
        'PRECONDITION_FAILED',
        `nothing to claim: wallet ${wallet} is owed ${result.total} in total and ${result.paid} is paid or being paid`,
      );
    case 'claim-in-progress':
      return fail(
        'CONFLICT',
        `claim ${result.claimId} of wallet ${wallet} is in progress: follow it with claims.status (claimId ${result.claimId})`,
      );
    case 'cap-reached':
      return fail(
        'PRECONDITION_FAILED',
        `the ${result.cap} cap of direct claims is used up: try again in ${result.retryAfterSeconds} s`,
      );
    case 'settled':
      answer = {
        wallet,
        claimId: result.claimId,
        status: 'confirmed',
        signature: result.signature,
        slot: String(result.slot),
        amount: { gross: result.amount.toString(), net: result.net.toString() },
        error: null,
      };
      break;
    case 'pending':
      answer = {
        wallet,
        claimId: result.claimId,
        status: 'pending',
        signature: result.signature,
        slot: null,
        amount: null,
        error: null,
      };
      break;
    case 'failed':
      answer = {
        wallet,
        claimId: result.claimId,
        status: 'failed',
        signature: null,
        slot: null,
        amount: null,
        error: { name: 'TransferFailed', message: `the transfer failed: ${result.error}` },
      };
      break;
  }
  await audit(deps.db.query, actor, DIRECT_ACTION, wallet, {
    claimId: answer.claimId,
    status: answer.status,
    signature: answer.signature,
    amount: answer.amount?.gross ?? null,
  });
  return ok(answer);
}

/**
 * {@link grossNet} of a stored direct claim: its recorded fee when signed, else the mint's fee function.
 *
 * @example directAmount(10_000n, 50n, null) // { gross: '10000', net: '9950' }
 */
export function directAmount(amount: bigint, fee: bigint | null, feeFor: ServerDeps['feeFor']): AmountOutput {
  return fee === null ? grossNet(amount, feeFor) : { gross: amount.toString(), net: (amount - fee).toString() };
}
