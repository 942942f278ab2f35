// Finding a viewer by Twitch user id or login, the one way every procedure that takes either does it.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { fail, ok, type Result } from './errors.js';

/** How a caller names a viewer: exactly one of the two. */
export interface ViewerRef {
  readonly userId?: string | undefined;
  readonly login?: string | undefined;
}

/** The viewer's user id, and their login when the users table knows them (`known`). */
export interface FoundViewer {
  readonly userId: string;
  readonly login: string | null;
  readonly known: boolean;
}

/**
 * Resolves a viewer reference. A login must be known (logins are renamed and reused, so the most recent holder wins);
 * a user id need not be (credit may exist before the viewer ever logs in): callers decide what an unknown one means.
 *
 * @example const viewer = await findViewer(db, { login: 'Some_Viewer' });
 */
export async function findViewer(db: DatabaseHandle, by: ViewerRef): Promise<Result<FoundViewer>> {
  if ((by.userId === undefined) === (by.login === undefined)) {
    return fail('BAD_REQUEST', 'give exactly one of userId or login');
  }
  const [user] =
    by.userId !== undefined
      ? await db.query<{ user_id: string; login: string }>(
          sql`select user_id::text as user_id, login from users where user_id = ${by.userId}::bigint`,
        )
      : await db.query<{ user_id: string; login: string }>(sql`select user_id::text as user_id, login from users
          where login = ${by.login?.toLowerCase()} order by last_login_at desc nulls last, user_id desc limit 1`);
  const userId = user?.user_id ?? by.userId;
  if (userId === undefined) return fail('NOT_FOUND', `no viewer with login ${by.login}`);
  return ok({ userId, login: user?.login ?? null, known: user !== undefined });
}
