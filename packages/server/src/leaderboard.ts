// Leaderboards: viewers ranked by what sealed epochs allocated them, globally or within one channel. Never a wallet.
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
  /** 1-based rank by total allocated (ties share one); null when nothing was allocated to the viewer. */
  rank: number | null;
}

interface EntryRow {
  rank: number;
  login: string | null;
  total: string;
}

const totalsBy = (channelId: string | null) => sql`
  select a.viewer, sum(a.amount) as total from allocations a
  join epochs e on e.epoch = a.epoch and e.status = 'sealed'
  ${channelId === null ? sql`` : sql`where a.channel_id = ${channelId}::bigint`}
  group by a.viewer having sum(a.amount) > 0`;

async function topViewers(db: DatabaseHandle, channelId: string | null, limit: number): Promise<LeaderboardEntry[]> {
  return db.query<EntryRow>(sql`
    with totals as (${totalsBy(channelId)})
    select (rank() over (order by t.total desc))::int as rank,
      case when t.viewer like 'legacy:%' then 'legacy' else u.login end as login, t.total::text as total
    from totals t left join users u on u.user_id::text = t.viewer
    order by t.total desc, t.viewer limit ${limit}::int`);
}

/**
 * The top `limit` viewers by total allocated in sealed epochs, across every channel.
 *
 * @example const top = await globalLeaderboard(db, 10); // [{ rank: 1, login: 'alice', total: '1500' }, ...]
 */
export async function globalLeaderboard(db: DatabaseHandle, limit: number): Promise<LeaderboardEntry[]> {
  return topViewers(db, null, limit);
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
  return ok({ channel: login, entries: await topViewers(db, row.channel_id, limit) });
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
  const [mine] = await db.query<{ total: string | null }>(sql`
    select sum(a.amount)::text as total from allocations a
    join epochs e on e.epoch = a.epoch and e.status = 'sealed' where a.viewer = ${userId}`);
  if (!known && (mine?.total ?? null) === null) return fail('NOT_FOUND', `no viewer with user id ${userId}`);
  const total = BigInt(mine?.total ?? 0);
  if (total <= 0n) return ok({ userId, login, total: total.toString(), rank: null });
  const [above] = await db.query<{ above: number }>(sql`
    select count(*)::int as above from (${totalsBy(null)}) t where t.total > ${total.toString()}::numeric`);
  return ok({ userId, login, total: total.toString(), rank: (above?.above ?? 0) + 1 });
}
