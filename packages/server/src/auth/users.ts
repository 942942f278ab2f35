// Recording a login in `users`, and joining the viewer's legacy identity at their first login.
import { InvalidArgumentError, legacyLoginKey } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { joinLegacyViewer } from '@attention-oracle/indexer';

/** What {@link recordLogin} did. */
export interface RecordedLogin {
  /** True when the viewer had never logged in before. */
  readonly firstLogin: boolean;
  /** Legacy waiting credit moved to the viewer's wallet by the join (0 when none or not joined). */
  readonly movedLegacyCredit: bigint;
  /** Why the legacy join was skipped, when it was (e.g. the login hash belongs to another user id). */
  readonly legacyJoinSkipped: string | null;
}

/**
 * Upserts the user (login, last_login_at); at their first login, joins legacy data under their login hash.
 *
 * @example const { firstLogin } = await recordLogin(db, { userId: '123', login: 'zowzrd', joinLegacy: true });
 */
export async function recordLogin(
  db: DatabaseHandle,
  input: { userId: string; login: string; joinLegacy: boolean },
): Promise<RecordedLogin> {
  const [row] = await db.query<{ first: boolean }>(sql`
    with prior as (select last_login_at from users where user_id = ${input.userId}::bigint),
    up as (
      insert into users (user_id, login, last_login_at) values (${input.userId}::bigint, ${input.login}, now())
      on conflict (user_id) do update set login = excluded.login, last_login_at = excluded.last_login_at
      returning user_id)
    select coalesce((select last_login_at is null from prior), true) as first from up`);
  const firstLogin = row?.first === true;
  if (!firstLogin || !input.joinLegacy) return { firstLogin, movedLegacyCredit: 0n, legacyJoinSkipped: null };
  try {
    const joined = await joinLegacyViewer(db, {
      userId: BigInt(input.userId),
      loginHash: legacyLoginKey(input.login),
      actor: `user:${input.userId}`,
    });
    return { firstLogin, movedLegacyCredit: joined.movedCredit, legacyJoinSkipped: null };
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    return { firstLogin, movedLegacyCredit: 0n, legacyJoinSkipped: error.message };
  }
}
