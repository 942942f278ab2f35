// Leaderboard totals kept in step with the sealed allocations: each sealed epoch added once (the leaderboard-totals
// job, after the seal), moved by every legacy join.
// leaderboard_buckets counts the viewers on the leaderboard (total above 0, not opted out) per bucket of totals; the
// 0003 migration's triggers keep it right across opt-outs.
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';

/** The advisory lock key of the leaderboard totals (the 0003 migration's triggers take it too). */
export const LEADERBOARD_LOCK_KEY = 7_426_005;

/** Whether a totals row's viewer (a user id or `legacy:<hex>`) has opted out; legacy viewers cannot. */
const optedOut = (viewer: ReturnType<typeof sql>) => sql`exists (select 1 from suppressions s
  where s.user_id = case when ${viewer} like 'legacy:%' then null else ${viewer}::bigint end)`;

/**
 * Adds every sealed epoch not yet on the leaderboard, in epoch order, each in its own transaction (the
 * leaderboard-totals job). Returns how many were added.
 *
 * @example const added = await addSealedEpochsToLeaderboard(db);
 */
export async function addSealedEpochsToLeaderboard(db: DatabaseHandle): Promise<number> {
  const pending = await db.query<{ epoch: string }>(sql`select e.epoch::text as epoch from epochs e
    where e.status = 'sealed' and not exists (select 1 from leaderboard_epochs l where l.epoch = e.epoch)
    order by e.epoch`);
  let added = 0;
  for (const { epoch } of pending) {
    if (await db.transaction((query) => addEpochToLeaderboard(query, Number(epoch)))) added += 1;
  }
  return added;
}

/**
 * Adds the allocations of sealed epoch `epoch` to viewer_totals, channel_viewer_totals and leaderboard_buckets, in
 * the caller's transaction, once: the epoch is marked in leaderboard_epochs in the same transaction, and an epoch
 * already marked (or not sealed) adds nothing (false). Allocations of a legacy viewer already joined count for its
 * user id. Takes the leaderboard lock first, so that additions, joins and opt-outs apply one at a time and read each
 * other's commits.
 *
 * @example await db.transaction((query) => addEpochToLeaderboard(query, epoch));
 */
export async function addEpochToLeaderboard(query: RawQuery, epoch: number): Promise<boolean> {
  await query(sql`select pg_advisory_xact_lock(${LEADERBOARD_LOCK_KEY}::bigint)`);
  const marked = await query(sql`insert into leaderboard_epochs (epoch)
    select epoch from epochs where epoch = ${epoch}::bigint and status = 'sealed'
    on conflict (epoch) do nothing returning epoch`);
  if (marked.length === 0) return false;
  await query(sql`
    -- Every CTE reads the tables as they were before the statement: moves sees the totals prior to the upsert.
    with mapped as (
      select a.channel_id, case when a.viewer like 'legacy:%' then coalesce((select li.user_id::text
          from legacy_identities li where li.login_hash = decode(substr(a.viewer, 8), 'hex')), a.viewer)
        else a.viewer end as viewer, sum(a.amount) as amount
      from allocations a where a.epoch = ${epoch}::bigint
      group by 1, 2
    ), per_channel as (
      insert into channel_viewer_totals (channel_id, viewer, total) select channel_id, viewer, amount from mapped
      on conflict (channel_id, viewer) do update set total = channel_viewer_totals.total + excluded.total
    ), per_viewer as (
      select viewer, sum(amount) as amount from mapped group by viewer
    ), upserted as (
      insert into viewer_totals (viewer, total) select viewer, amount from per_viewer
      on conflict (viewer) do update set total = viewer_totals.total + excluded.total
    ), moves as (
      -- Probes viewer_totals by key (the allocations were just written: estimates say one row, so no CTE joins).
      select coalesce(t.total, 0) as old, coalesce(t.total, 0) + p.amount as new
      from per_viewer p left join viewer_totals t on t.viewer = p.viewer
      where not ${optedOut(sql`p.viewer`)}
    ), deltas as (
      select leaderboard_bucket(old) as bucket, -1 as delta from moves where old > 0
      union all select leaderboard_bucket(new), 1 from moves where new > 0
    )
    insert into leaderboard_buckets (bucket, viewers) select bucket, sum(delta) from deltas group by bucket
    on conflict (bucket) do update set viewers = leaderboard_buckets.viewers + excluded.viewers`);
  return true;
}

/**
 * Moves the totals of legacy viewer `viewer` (`legacy:<hex>`) to `userId`, globally and per channel, in the caller's
 * transaction (a legacy join's), under the leaderboard lock. Nothing to move is a no-op.
 *
 * @example await moveLegacyTotals(query, 'legacy:ab12...', 123n);
 */
export async function moveLegacyTotals(query: RawQuery, viewer: string, userId: bigint): Promise<void> {
  const user = userId.toString();
  await query(sql`select pg_advisory_xact_lock(${LEADERBOARD_LOCK_KEY}::bigint)`);
  await query(sql`
    with moved as (delete from channel_viewer_totals where viewer = ${viewer} returning channel_id, total)
    insert into channel_viewer_totals (channel_id, viewer, total) select channel_id, ${user}, total from moved
    on conflict (channel_id, viewer) do update set total = channel_viewer_totals.total + excluded.total`);
  await query(sql`
    with moved as (
      delete from viewer_totals where viewer = ${viewer} returning total
    ), upserted as (
      insert into viewer_totals (viewer, total) select ${user}, total from moved
      on conflict (viewer) do update set total = viewer_totals.total + excluded.total
      returning total
    ), moves as (
      select u.total - m.total as old, u.total as new from upserted u, moved m
      where not exists (select 1 from suppressions where user_id = ${user}::bigint)
    ), deltas as (
      select leaderboard_bucket(total) as bucket, -1 as delta from moved where total > 0
      union all select leaderboard_bucket(old), -1 from moves where old > 0
      union all select leaderboard_bucket(new), 1 from moves where new > 0
    )
    insert into leaderboard_buckets (bucket, viewers) select bucket, sum(delta) from deltas group by bucket
    on conflict (bucket) do update set viewers = leaderboard_buckets.viewers + excluded.viewers`);
}
