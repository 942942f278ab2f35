// Leaderboards: viewers ranked by what sealed epochs allocated them, globally or within one channel. Never a wallet.
// Read from the totals every seal and legacy join maintain (viewer_totals, channel_viewer_totals, leaderboard_buckets).
// Opted-out viewers (suppressions) are left out of every leaderboard and rank from their opt-out on (their totals are
// kept: they are back if the opt-out is lifted).
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { fail, ok, type Result } from './errors.js';
import { findViewer, type ViewerRef } from './viewers.js';

/** One leaderboard row: rank (ties share one), login ('legacy' for not yet linked legacy viewers), total allocated. */
export interface LeaderboardEntry {
  rank: number;
  login: string | null;
  /** Base units, decimal. */
  total: string;
}

/** A viewer's place on the global leaderboard. */
export interface ViewerRank {
  userId: string;
  login: string | null;
  /** Base units, decimal. */
  total: string;
  /** 1-based rank by total allocated (ties share one); null when nothing was allocated to the viewer, or opted out. */
  rank: number | null;
}

/** A viewer's standing: their total allocated in sealed epochs, and their place. */
export interface Standing {
  /** Base units; 0 when nothing was allocated. */
  total: bigint;
  /** Whether any sealed epoch allocated to the viewer (even 0). */
  allocated: boolean;
  optedOut: boolean;
  /** 1-based rank by total among the viewers on the leaderboard; null when not on it (total 0, or opted out). */
  rank: number | null;
}

type SQL = ReturnType<typeof sql>;

interface EntryRow {
  rank: number;
  login: string | null;
  total: string;
}

/** The user id of a totals row's viewer key (null for a legacy viewer), so joins use users' and suppressions' keys. */
const userIdOf = (viewer: SQL) => sql`case when ${viewer} like 'legacy:%' then null else ${viewer}::bigint end`;

/**
 * Top rows of `totals` (rows with viewer and total), opted-out viewers left out. `desc nulls last` is the rank
 * indexes' order: with it the rows come off the index in order and the scan stops after `limit`.
 */
async function topOf(db: DatabaseHandle, totals: SQL, limit: number): Promise<LeaderboardEntry[]> {
  return db.query<EntryRow>(sql`
    with top as (
      select t.viewer, t.total from ${totals}
      and not exists (select 1 from suppressions s where s.user_id = ${userIdOf(sql`t.viewer`)})
      order by t.total desc nulls last, t.viewer limit ${limit}::int
    )
    select (rank() over (order by top.total desc nulls last))::int as rank,
      case when top.viewer like 'legacy:%' then 'legacy' else u.login end as login, top.total::text as total
    from top left join users u on u.user_id = ${userIdOf(sql`top.viewer`)}
    order by top.total desc nulls last, top.viewer`);
}

/**
 * The top `limit` viewers by total allocated in sealed epochs, across every channel.
 *
 * @example const top = await globalLeaderboard(db, 10); // [{ rank: 1, login: 'alice', total: '1500' }, ...]
 */
export async function globalLeaderboard(db: DatabaseHandle, limit: number): Promise<LeaderboardEntry[]> {
  return topOf(db, sql`viewer_totals t where t.total > 0`, limit);
}

/**
 * The top `limit` viewers of one channel (by its login) by total allocated there in sealed epochs.
 *
 * @example const top = await channelLeaderboard(db, 'some_streamer', 10);
 */
export async function channelLeaderboard(
  db: DatabaseHandle,
  channel: string,
  limit: number,
): Promise<Result<{ channel: string; entries: LeaderboardEntry[] }>> {
  const login = channel.toLowerCase();
  const [row] = await db.query<{ channel_id: string | null }>(
    sql`select channel_id::text as channel_id from channels where login = ${login}`,
  );
  if (row === undefined) return fail('NOT_FOUND', `no channel with login ${login}`);
  if (row.channel_id === null) return ok({ channel: login, entries: [] });
  const totals = sql`channel_viewer_totals t where t.channel_id = ${row.channel_id}::bigint and t.total > 0`;
  return ok({ channel: login, entries: await topOf(db, totals, limit) });
}

/**
 * The number of viewers on the leaderboard (not opted out) whose total exceeds `total` (an SQL numeric): the viewers
 * counted in leaderboard_buckets above the total's bucket, and those of its own bucket above it (a range of the rank
 * index no wider than the bucket).
 */
const viewersAbove = (total: SQL) => sql`(
  (select coalesce(sum(b.viewers), 0) from leaderboard_buckets b where b.bucket > leaderboard_bucket(${total}))
  + (select count(*) from viewer_totals v where v.total > ${total} and v.total < leaderboard_bucket_end(${total})
    and not exists (select 1 from suppressions s where s.user_id = ${userIdOf(sql`v.viewer`)})))`;

/**
 * 1 + the number of viewers on the leaderboard whose total exceeds `total`; for 0, the place after all of them.
 *
 * @example const place = await rankOfTotal(db, 1500n); // 1 when nobody has more
 */
export async function rankOfTotal(db: DatabaseHandle, total: bigint): Promise<number> {
  const [row] = await db.query<{ above: string }>(
    sql`select ${viewersAbove(sql`${total.toString()}::numeric`)}::text as above`,
  );
  return Number(row?.above ?? 0) + 1;
}

/**
 * A viewer's total allocated in sealed epochs and their global rank, by user id, in one statement: the one rank the
 * leaderboard and eligibility both report.
 *
 * @example const { total, rank } = await standingOf(db, '123');
 */
export async function standingOf(db: DatabaseHandle, userId: string): Promise<Standing> {
  const [row] = await db.query<{ total: string | null; opted_out: boolean; above: string | null }>(sql`
    with mine as (
      select (select total from viewer_totals where viewer = ${userId}) as total,
        exists (select 1 from suppressions where user_id = ${userId}::bigint) as opted_out)
    select mine.total::text as total, mine.opted_out,
      case when mine.total > 0 and not mine.opted_out then ${viewersAbove(sql`mine.total`)} end::text as above
    from mine`);
  const above = row?.above ?? null;
  return {
    total: BigInt(row?.total ?? 0),
    allocated: (row?.total ?? null) !== null,
    optedOut: row?.opted_out ?? false,
    rank: above === null ? null : Number(above) + 1,
  };
}

/**
 * A viewer's global rank and total, by Twitch login or user id (exactly one).
 *
 * @example const { rank, total } = unwrap(await viewerRank(db, { login: 'alice' }));
 */
export async function viewerRank(db: DatabaseHandle, by: ViewerRef): Promise<Result<ViewerRank>> {
  const found = await findViewer(db, by);
  if (!found.ok) return found;
  const { userId, login, known } = found.value;
  const standing = await standingOf(db, userId);
  if (!known && !standing.allocated) return fail('NOT_FOUND', `no viewer with user id ${userId}`);
  return ok({ userId, login, total: standing.total.toString(), rank: standing.rank });
}
