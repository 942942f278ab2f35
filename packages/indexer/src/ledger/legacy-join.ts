// Joining a legacy identity (keccak256 of a lowercase login, as older systems keyed viewers) to the user id of the
// viewer who logs in with that login for the first time.
import { base58Encode, InvalidArgumentError } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { audit } from '../audit.js';
import { moveLegacyTotals } from '../epochs/leaderboard-totals-internal.js';
import { activeWallet } from './bindings.js';
import { legacyViewer, requireActor, requireBytes32, requireUserId } from './inputs-internal.js';
import { lockLedger } from './ledger-lock.js';
import { assignWaitingCredit } from './wallet-credit-internal.js';

/** Input of {@link joinLegacyViewer}. */
export interface LegacyJoinInput {
  readonly userId: bigint;
  /** keccak256(lowercase(login)), 32 bytes */
  readonly loginHash: Uint8Array;
  readonly actor: string;
}

/** What {@link joinLegacyViewer} did. */
export interface LegacyJoinResult {
  /** False when the login hash was already joined to this user (nothing changed but waiting credit, if any). */
  readonly joined: boolean;
  /** The legacy viewer key, `legacy:<hex>`. */
  readonly viewer: string;
  /** Waiting credit of the legacy viewer assigned to the user's active wallet now. */
  readonly movedCredit: bigint;
  /** The user's active wallet, or null (the waiting credit then moves at their first binding). */
  readonly wallet: Uint8Array | null;
}

/**
 * Joins a legacy login hash to a user id, in one transaction under the ledger lock. From then on the legacy viewer's
 * credit is the user's: its waiting credit goes to the user's active wallet now (or at their first binding), its
 * offsets are withheld from the user's credit, its leaderboard totals become the user's, and epochs credited (or
 * sealed) later (a backfill of legacy data) credit the user's wallet and count for the user. Idempotent; a login hash
 * already joined to another user id is an InvalidArgumentError.
 *
 * @example await joinLegacyViewer(db, { userId: 123n, loginHash: legacyLoginKey(login), actor: 'server' });
 */
export async function joinLegacyViewer(db: DatabaseHandle, input: LegacyJoinInput): Promise<LegacyJoinResult> {
  const userId = requireUserId(input.userId);
  const loginHash = requireBytes32(input.loginHash, 'login hash');
  const actor = requireActor(input.actor);
  const viewer = legacyViewer(loginHash);
  return db.transaction(async (query) => {
    await lockLedger(query);
    const [existing] = await query<{ user_id: string | null }>(sql`
      select user_id::text as user_id from legacy_identities where login_hash = ${loginHash}`);
    if (existing?.user_id != null && existing.user_id !== userId.toString()) {
      throw new InvalidArgumentError(
        `${viewer} is already joined to user ${existing.user_id}; it cannot be joined to user ${userId}`,
      );
    }
    const joined = existing?.user_id == null;
    if (joined) {
      await query(sql`
        insert into legacy_identities (login_hash, user_id, joined_at) values (${loginHash}, ${userId.toString()}::bigint, now())
        on conflict (login_hash) do update set user_id = excluded.user_id, joined_at = excluded.joined_at`);
      await moveLegacyTotals(query, viewer, userId);
    }
    const wallet = (await activeWallet(query, userId))?.wallet ?? null;
    const movedCredit = wallet === null ? 0n : await assignWaitingCredit(query, [viewer], wallet);
    if (joined || movedCredit > 0n) {
      await audit(query, actor, 'legacy.joined', viewer, {
        userId,
        joined,
        movedCredit,
        wallet: wallet === null ? null : base58Encode(wallet),
      });
    }
    return { joined, viewer, movedCredit, wallet };
  });
}
