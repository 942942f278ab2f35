// Dashboard statistics: per UTC day activity, and claim retention by weekly cohort.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { fail, ok, type Result } from './errors.js';

const DAY = 86_400;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday after the unix epoch: weeks start on Mondays (UTC). */
const MONDAY = 4 * DAY;

/** One UTC day of activity. */
export interface DailyStats {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Viewers with a positive allocation in that day's sealed epochs. */
  eligibleUsers: number;
  /** Allocated in that day's sealed epochs, base units, decimal. */
  stagedTotal: string;
  /** Chat events in that day's epochs. */
  chatEvents: number;
  /** Users first seen that day. */
  newUsers: number;
  /** Settled direct claims (by finish time) plus merkle claims seen on chain (by block time). */
  claims: number;
  /** Gross amount of those claims, base units, decimal. */
  claimedTotal: string;
}

/** Claim retention: who comes back, and which weekly cohorts of viewers claim. */
export interface RetentionStats {
  /** Wallets that claimed at least once. */
  claimers: number;
  /** Wallets that claimed at least twice. */
  repeatClaimers: number;
  cohorts: CohortStats[];
}

/** One cohort: the viewers whose first positive allocation fell in that week. */
export interface CohortStats {
  /** The Monday (UTC) the cohort's week starts, YYYY-MM-DD. */
  week: string;
  viewers: number;
  /** Cohort viewers who ever bound a wallet. */
  boundViewers: number;
  /** Bound cohort viewers one of whose wallets claimed at least once. */
  claimedViewers: number;
  /** claimedViewers / boundViewers, null when none is bound. */
  claimRate: number | null;
}

const dayString = (second: number): string => new Date(second * 1000).toISOString().slice(0, 10);

/** The unix second a YYYY-MM-DD (UTC) day starts, or null when it is no such day. */
function dayStart(day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || dayString(ms / 1000) !== day ? null : ms / 1000;
}

/** Every settled claim: direct (by finish time) and merkle (by block time), as (wallet, amount, claimed_at unix second). */
const ALL_CLAIMS = sql`
  select wallet, amount, extract(epoch from coalesce(finished_at, created_at))::float8 as claimed_at
    from claims where status = 'settled'
  union all
  select claimer as wallet, amount, extract(epoch from block_time)::float8 as claimed_at from chain_claims`;

/**
 * Per UTC day statistics for the `days` days ending with `until` (YYYY-MM-DD, default today), oldest first.
 *
 * @example const days = unwrap(await dailyStats(db, { days: 7 })); // [{ day: '2026-11-19', eligibleUsers: 40, ... }]
 */
export async function dailyStats(
  db: DatabaseHandle,
  options: { days: number; until?: string | undefined },
): Promise<Result<DailyStats[]>> {
  const { days } = options;
  if (!Number.isInteger(days) || days < 1 || days > 90) return fail('BAD_REQUEST', 'days must be 1..90');
  const until = options.until ?? dayString(Date.now() / 1000);
  const last = dayStart(until);
  if (last === null) return fail('BAD_REQUEST', `until must be a YYYY-MM-DD day, not ${until}`);
  const from = last - (days - 1) * DAY;
  const to = last + DAY;
  const stats = new Map<number, DailyStats>();
  for (let i = 0; i < days; i++) {
    const start = from + i * DAY;
    stats.set(start, {
      day: dayString(start),
      eligibleUsers: 0,
      stagedTotal: '0',
      chatEvents: 0,
      newUsers: 0,
      claims: 0,
      claimedTotal: '0',
    });
  }
  const at = (day: string | number) => stats.get(Number(day) * DAY);

  const allocated = await db.query<{ day: string; users: number; total: string }>(sql`
    select (a.epoch / ${DAY}::bigint)::text as day, count(distinct a.viewer) filter (where a.amount > 0)::int as users,
      sum(a.amount)::text as total
    from allocations a join epochs e on e.epoch = a.epoch and e.status = 'sealed'
    where a.epoch >= ${from}::bigint and a.epoch < ${to}::bigint group by 1`);
  for (const row of allocated) {
    const entry = at(row.day);
    if (entry) Object.assign(entry, { eligibleUsers: row.users, stagedTotal: row.total });
  }
  const events = await db.query<{ day: string; n: number }>(sql`
    select (epoch / ${DAY}::bigint)::text as day, count(*)::int as n from chat_events
    where epoch >= ${from}::bigint and epoch < ${to}::bigint group by 1`);
  for (const row of events) {
    const entry = at(row.day);
    if (entry) entry.chatEvents = row.n;
  }
  const users = await db.query<{ day: string; n: number }>(sql`
    select floor(extract(epoch from first_seen_at)::float8 / ${DAY}::float8)::bigint::text as day, count(*)::int as n from users
    where first_seen_at >= to_timestamp(${from}::float8) and first_seen_at < to_timestamp(${to}::float8) group by 1`);
  for (const row of users) {
    const entry = at(row.day);
    if (entry) entry.newUsers = row.n;
  }
  const claims = await db.query<{ day: string; n: number; total: string }>(sql`
    select floor(claimed_at / ${DAY}::float8)::bigint::text as day, count(*)::int as n, sum(amount)::text as total
    from (${ALL_CLAIMS}) c where claimed_at >= ${from}::float8 and claimed_at < ${to}::float8 group by 1`);
  for (const row of claims) {
    const entry = at(row.day);
    if (entry) Object.assign(entry, { claims: row.n, claimedTotal: row.total });
  }
  return ok([...stats.values()]);
}

/**
 * Claim retention: claimers and repeat claimers (by wallet), and the claim rate of the newest `weeks` weekly cohorts.
 *
 * @example const { repeatClaimers, cohorts } = unwrap(await retentionStats(db, { weeks: 12 }));
 */
export async function retentionStats(db: DatabaseHandle, options: { weeks: number }): Promise<Result<RetentionStats>> {
  const { weeks } = options;
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 104) return fail('BAD_REQUEST', 'weeks must be 1..104');
  const [counts] = await db.query<{ claimers: number; repeat: number }>(sql`
    select count(*)::int as claimers, (count(*) filter (where n >= 2))::int as repeat
    from (select wallet, count(*) as n from (${ALL_CLAIMS}) c group by wallet) w`);
  const cohorts = await db.query<{ week: string; viewers: number; bound: number; claimed: number }>(sql`
    with firsts as (
      select a.viewer, min(a.epoch) as first from allocations a
      join epochs e on e.epoch = a.epoch and e.status = 'sealed' where a.amount > 0 group by a.viewer
    ), cohort as (
      select viewer, ((first - ${MONDAY}::bigint) / ${WEEK}::bigint) * ${WEEK}::bigint + ${MONDAY}::bigint as week from firsts
    ), bound as (
      select distinct c.viewer from cohort c join wallet_bindings b on b.user_id::text = c.viewer
    ), claimed as (
      select distinct c.viewer from cohort c join wallet_bindings b on b.user_id::text = c.viewer
      where exists (select 1 from (${ALL_CLAIMS}) x where x.wallet = b.wallet)
    )
    select c.week::text as week, count(*)::int as viewers,
      count(*) filter (where c.viewer in (select viewer from bound))::int as bound,
      count(*) filter (where c.viewer in (select viewer from claimed))::int as claimed
    from cohort c group by c.week order by c.week desc limit ${weeks}::int`);
  return ok({
    claimers: counts?.claimers ?? 0,
    repeatClaimers: counts?.repeat ?? 0,
    cohorts: cohorts.reverse().map((row) => ({
      week: dayString(Number(row.week)),
      viewers: row.viewers,
      boundViewers: row.bound,
      claimedViewers: row.claimed,
      claimRate: row.bound === 0 ? null : row.claimed / row.bound,
    })),
  });
}
