// Crediting one sealed epoch: its allocations, summed per viewer, become wallet_credits rows and wallet totals.
import { InvalidArgumentError } from '@attention-oracle/core';
import { type DatabaseHandle, pgArray, type RawQuery, sql } from '@attention-oracle/db';
import { audit } from '../audit.js';
import { textArray } from '../epochs/query-internal.js';
import { requireActor } from './inputs-internal.js';
import { lockLedger } from './ledger-lock.js';
import { type OutstandingOffset, withhold } from './offsets-internal.js';
import { addToTotals } from './wallet-credit-internal.js';

/** What crediting one epoch wrote (also its credited_epochs row). */
export interface EpochCredit {
  readonly epoch: number;
  /** Viewers credited (one wallet_credits row each, zero amounts included). */
  readonly viewers: number;
  /** Credited to bound wallets, after offsets. */
  readonly credited: bigint;
  /** Credited to viewers without a wallet yet, after offsets: waits for their first binding. */
  readonly waiting: bigint;
  /** Withheld to pay down offsets. */
  readonly offset: bigint;
  /** Viewers not credited because they had opted out by now. */
  readonly optedOut: number;
}

interface ViewerRow {
  viewer: string;
  gross: string;
  user_id: string | null;
  opted_out: boolean;
  wallet: string | null;
}

interface CreditRow {
  readonly viewer: string;
  readonly wallet: string | null;
  readonly gross: bigint;
  readonly offset: bigint;
  readonly amount: bigint;
}

const CHUNK_ROWS = 50_000;

/**
 * Credits sealed epoch `epoch` in one transaction under the ledger lock, or returns null when it was credited
 * already. Per viewer (a user id, or a legacy login hash, which counts as the user it was joined to): nothing when the
 * user has opted out by now; otherwise the sum of its allocations, minus the viewer's outstanding offsets (oldest
 * first), to the wallet bound now, or waiting for the first binding.
 *
 * @example const credit = await creditEpoch(db, 1_700_000_000, 'ledger'); // null if already credited
 */
export async function creditEpoch(db: DatabaseHandle, epoch: number, actor: string): Promise<EpochCredit | null> {
  requireActor(actor);
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new InvalidArgumentError(`epoch must be a non-negative integer (unix seconds), got ${epoch}`);
  }
  return db.transaction(async (query) => {
    await lockLedger(query);
    const [state] = await query<{ status: string; credited: boolean }>(sql`
      select status, exists (select 1 from credited_epochs c where c.epoch = e.epoch) as credited
      from epochs e where e.epoch = ${epoch}::bigint`);
    if (state?.credited) return null;
    if (state?.status !== 'sealed') {
      throw new InvalidArgumentError(
        `epoch ${epoch} is ${state ? state.status : 'unknown'}: only sealed epochs are credited`,
      );
    }
    const viewers = await viewerSums(query, epoch);
    const offsets = await outstandingOffsets(query, viewers);
    const credits: CreditRow[] = [];
    const totals = new Map<string, bigint>();
    let credited = 0n;
    let waiting = 0n;
    let offset = 0n;
    let optedOut = 0;
    for (const row of viewers) {
      if (row.opted_out) {
        optedOut += 1;
        continue;
      }
      const gross = BigInt(row.gross);
      const withheld = withhold(gross, offsets.get(row.user_id ?? row.viewer) ?? []);
      const amount = gross - withheld;
      credits.push({ viewer: row.viewer, wallet: row.wallet, gross, offset: withheld, amount });
      offset += withheld;
      if (row.wallet === null) waiting += amount;
      else {
        credited += amount;
        totals.set(row.wallet, (totals.get(row.wallet) ?? 0n) + amount);
      }
    }
    await query(sql`insert into credited_epochs (epoch, viewers, credited, waiting, opted_out)
      values (${epoch}::bigint, ${credits.length}::int, ${credited.toString()}::numeric, ${waiting.toString()}::numeric,
        ${optedOut}::int)`);
    await writeCredits(query, epoch, credits);
    await writeOffsets(query, offsets);
    await addToTotals(query, totals);
    const result: EpochCredit = { epoch, viewers: credits.length, credited, waiting, offset, optedOut };
    await audit(query, actor, 'ledger.credited', String(epoch), { ...result });
    return result;
  });
}

/** The epoch's allocations summed per viewer, with the viewer's user, opt-out and active wallet (hex) now. */
function viewerSums(query: RawQuery, epoch: number): Promise<ViewerRow[]> {
  return query<ViewerRow>(sql`
    with sums as (
      select viewer, sum(amount) as gross from allocations where epoch = ${epoch}::bigint group by viewer
    ), users as (
      select s.viewer, s.gross,
        case when s.viewer like 'legacy:%' then li.user_id else s.viewer::bigint end as user_id
      from sums s left join legacy_identities li
        on li.login_hash = case when s.viewer like 'legacy:%' then decode(substr(s.viewer, 8), 'hex') end
    )
    select u.viewer, u.gross::text as gross, u.user_id::text as user_id, o.user_id is not null as opted_out,
      encode(b.wallet, 'hex') as wallet
    from users u
    left join suppressions o on o.user_id = u.user_id
    left join wallet_bindings b on b.user_id = u.user_id and b.unbound_at is null
    order by u.viewer collate "C"`);
}

/**
 * Outstanding offsets of the credited viewers, by account (a user id, or an unjoined legacy viewer), oldest first.
 * A user's offsets include those recorded under legacy login hashes joined to it.
 */
async function outstandingOffsets(
  query: RawQuery,
  viewers: readonly ViewerRow[],
): Promise<Map<string, OutstandingOffset[]>> {
  const credited = viewers.filter((v) => !v.opted_out);
  const users = [...new Set(credited.flatMap((v) => (v.user_id === null ? [] : [v.user_id])))];
  const legacy = credited.flatMap((v) => (v.user_id === null ? [v.viewer] : []));
  const byAccount = new Map<string, OutstandingOffset[]>();
  if (users.length === 0 && legacy.length === 0) return byAccount;
  const rows = await query<{ id: string; remaining: string; account: string }>(sql`
    with users as (select unnest(${pgArray(users)}::bigint[]) as user_id),
    keys as (
      select user_id::text as viewer, user_id::text as account from users
      union all
      select 'legacy:' || encode(li.login_hash, 'hex'), li.user_id::text from legacy_identities li
        join users u on u.user_id = li.user_id
      union all
      select v, v from unnest(${textArray(legacy)}::text[]) as v
    )
    select c.id::text as id, c.remaining::text as remaining, k.account
    from keys k join corrections c on c.viewer = k.viewer
    where c.kind = 'offset' and c.remaining > 0
    order by c.id`);
  for (const row of rows) {
    const list = byAccount.get(row.account) ?? [];
    list.push({ id: Number(row.id), initial: BigInt(row.remaining), remaining: BigInt(row.remaining) });
    byAccount.set(row.account, list);
  }
  return byAccount;
}

async function writeCredits(query: RawQuery, epoch: number, credits: readonly CreditRow[]): Promise<void> {
  for (let start = 0; start < credits.length; start += CHUNK_ROWS) {
    const chunk = credits.slice(start, start + CHUNK_ROWS);
    await query(sql`
      insert into wallet_credits (viewer, wallet, kind, epoch, gross, "offset", amount, assigned_at)
      select v, decode(w, 'hex'), 'epoch', ${epoch}::bigint, g, o, a, case when w is null then null else now() end
      from unnest(${textArray(chunk.map((c) => c.viewer))}::text[], ${pgArray(chunk.map((c) => c.wallet))}::text[],
        ${pgArray(chunk.map((c) => c.gross))}::numeric[], ${pgArray(chunk.map((c) => c.offset))}::numeric[],
        ${pgArray(chunk.map((c) => c.amount))}::numeric[]) as t(v, w, g, o, a)`);
  }
}

/** Stores the new `remaining` of every offset that was drawn on. */
async function writeOffsets(query: RawQuery, offsets: ReadonlyMap<string, readonly OutstandingOffset[]>) {
  const drawn = [...offsets.values()].flat().filter((o) => o.remaining !== o.initial);
  if (drawn.length === 0) return;
  await query(sql`
    update corrections c set remaining = t.r
    from unnest(${pgArray(drawn.map((o) => o.id))}::bigint[], ${pgArray(drawn.map((o) => o.remaining))}::numeric[]) as t(id, r)
    where c.id = t.id`);
}
