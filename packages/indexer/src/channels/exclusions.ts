// Known bots and opted-out viewers, by user id: collectors drop their lines before anything is stored.
import type { DatabaseHandle } from '@attention-oracle/db';
import { sql } from '@attention-oracle/db';

/** The excluded user ids now, re-read every `refreshMs`; `stop()` ends the refresh. */
export async function watchExclusions(db: DatabaseHandle, refreshMs = 60_000, onError?: (error: Error) => void) {
  let excluded = await readExclusions(db);
  const timer = setInterval(() => {
    readExclusions(db).then(
      (next) => {
        excluded = next;
      },
      (error) => onError?.(error as Error),
    );
  }, refreshMs);
  timer.unref();
  return {
    isExcluded: (userId: string) => excluded.has(userId),
    stop: () => clearInterval(timer),
  };
}

async function readExclusions(db: DatabaseHandle): Promise<Set<string>> {
  const rows = await db.query<{ user_id: string }>(sql`
    select user_id::text as user_id from bots union select user_id::text from suppressions`);
  return new Set(rows.map((r) => r.user_id));
}
