// Eligibility: what a viewer (for bots: never their wallet) or a wallet (for dApps) is owed, claimed and can claim.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { type ChainContext, walletEntitlement } from '@attention-oracle/indexer';
import { decodeClaimStateGlobal, findClaimStateGlobalPda } from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import { type AmountOutput, grossNet } from './amounts.js';
import { fail, ok, type Result } from './errors.js';
import { hex } from './hex.js';
import { rankOfTotal, standingOf } from './leaderboard.js';
import { parseWallet } from './proofs.js';
import type { CachedRoot, TreeCache } from './trees.js';
import { findViewer, type ViewerRef } from './viewers.js';

/** Which root an answer is as of. */
export interface RootRef {
  rootSeq: string | null;
  root: string | null;
  /** The chain slot the answer is valid as of (the read's slot, or the root's publish slot), when known. */
  validAsOfSlot: string | null;
  validAsOfTime: string;
}

/** A viewer's eligibility, without their wallet. */
export interface ViewerEligibility extends RootRef {
  userId: string;
  login: string | null;
  /** Everything credited to the viewer. */
  total: AmountOutput;
  /** Credit not yet in the newest servable root (waiting for a binding, or credited after it was built). */
  pending: AmountOutput;
  /**
   * 1-based rank by total allocated in sealed epochs, the leaderboard's (leaderboard.rank); a viewer not on the
   * leaderboard (nothing allocated, or opted out) ranks after every viewer on it.
   */
  rank: number;
}

/** A wallet's eligibility. */
export interface WalletEligibility extends RootRef {
  wallet: string;
  total: AmountOutput;
  /** Paid so far: ClaimStateGlobal on chain (merkle), settled direct claims (direct); null without a chain. */
  claimed: AmountOutput | null;
  /** In the newest servable root minus claimed (0 when nothing more), null without a chain. */
  claimableNow: AmountOutput | null;
  /** Owed but not yet in the newest servable root. */
  pending: AmountOutput;
}

/** What the eligibility services read. */
export interface EligibilityDeps {
  readonly db: DatabaseHandle;
  readonly chain: ChainContext | null;
  readonly trees: TreeCache;
  readonly feeFor: ((amount: bigint) => bigint) | null;
}

function rootRef(root: CachedRoot | undefined, slot: bigint | null): RootRef {
  const record = root?.record;
  return {
    rootSeq: record ? record.seq.toString() : null,
    root: record ? hex(record.root) : null,
    validAsOfSlot: slot !== null ? slot.toString() : (record?.publishSlot?.toString() ?? null),
    validAsOfTime: new Date().toISOString(),
  };
}

/**
 * A viewer's eligibility by Twitch user id or login (exactly one).
 *
 * @example const answer = await viewerEligibility(deps, { login: 'some_viewer' });
 */
export async function viewerEligibility(deps: EligibilityDeps, by: ViewerRef): Promise<Result<ViewerEligibility>> {
  const found = await findViewer(deps.db, by);
  if (!found.ok) return found;
  const { userId, login, known } = found.value;
  const newest = deps.trees.newest();
  const builtAt = newest?.record.builtAt.toISOString() ?? null;
  const [sums] = await deps.db.query<{ total: string; pending: string; credits: number }>(sql`
    select coalesce(sum(amount), 0)::text as total, count(*)::int as credits,
      coalesce(sum(amount) filter (where wallet is null
        or ${builtAt}::timestamptz is null or coalesce(assigned_at, created_at) > ${builtAt}::timestamptz), 0)::text
        as pending
    from wallet_credits where viewer = ${userId}`);
  if (!known && (sums?.credits ?? 0) === 0) return fail('NOT_FOUND', `no viewer with user id ${userId}`);
  const total = BigInt(sums?.total ?? 0);
  const { rank } = await standingOf(deps.db, userId);
  return ok({
    ...rootRef(newest, null),
    userId,
    login,
    total: grossNet(total, deps.feeFor),
    pending: grossNet(BigInt(sums?.pending ?? 0), deps.feeFor),
    rank: rank ?? (await rankOfTotal(deps.db, 0n)),
  });
}

/**
 * A wallet's eligibility: its total, what was claimed, what is claimable now, and what is pending.
 *
 * @example const answer = await walletEligibility(deps, 'So1...');
 */
export async function walletEligibility(deps: EligibilityDeps, wallet: string): Promise<Result<WalletEligibility>> {
  const parsed = parseWallet(wallet);
  if (!parsed.ok) return parsed;
  const bytes = parsed.value;
  const newest = deps.trees.newest();
  const inRoot = newest?.tree.proofForWallet(bytes)?.entry.cumulativeTotal ?? 0n;
  const { total } = await walletEntitlement(deps.db.query, bytes);
  let claimed: bigint | null = null;
  let slot: bigint | null = null;
  if (deps.chain !== null) {
    if (deps.chain.settlement === 'merkle') {
      // Read outside any transaction: a network call.
      const pda = findClaimStateGlobalPda(new PublicKey(bytes), {
        programId: deps.chain.programId,
        mint: deps.chain.mint,
      });
      const { context, value } = await deps.chain.client
        .connection()
        .getAccountInfoAndContext(pda.address, 'confirmed');
      slot = BigInt(context.slot);
      claimed = value === null ? 0n : decodeClaimStateGlobal(value.data).claimedTotal;
    } else {
      const [row] = await deps.db.query<{ settled: string }>(sql`select coalesce(sum(amount), 0)::text as settled
        from claims where wallet = ${bytes} and status = 'settled'`);
      claimed = BigInt(row?.settled ?? 0);
    }
  }
  const claimable = claimed === null ? null : inRoot > claimed ? inRoot - claimed : 0n;
  const pending = total > inRoot ? total - inRoot : 0n;
  return ok({
    ...rootRef(newest, slot),
    wallet,
    total: grossNet(total, deps.feeFor),
    claimed: claimed === null ? null : grossNet(claimed, deps.feeFor),
    claimableNow: claimable === null ? null : grossNet(claimable, deps.feeFor),
    pending: grossNet(pending, deps.feeFor),
  });
}
