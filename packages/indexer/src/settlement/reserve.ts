// Step one of a claim: under the settlement lock, work out each wallet's delta and the caps and insert the
// 'reserved' rows. Requests that arrive while a reservation runs are reserved together in the next transaction, so
// the lock is taken once per batch rather than once per claim.
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import { walletEntitlement } from '../ledger/totals.js';
import { capClaim } from './caps.js';
import type { CapName, ClaimResult, DirectCaps } from './types.js';

/**
 * The advisory lock every reservation takes, so the caps (the global one above all) count every claim exactly. It
 * is transaction-scoped and held only while the database is read and rows inserted: never across a network call.
 *
 * @example
 * await query(sql`select pg_advisory_xact_lock(${SETTLEMENT_LOCK_KEY}::bigint)`);
 */
export const SETTLEMENT_LOCK_KEY = 74_260_060;

/** Claims that count as paid (and against the daily caps) until they are voided or fail. */
const COUNTED = sql`status in ('settled', 'reserved', 'pending')`;
const DAY = sql`interval '24 hours'`;

/** A reserved claim: the row exists, nothing is signed yet. */
export interface Reservation {
  status: 'reserved';
  claimId: number;
  amount: bigint;
  total: bigint;
  paidBefore: bigint;
}

/** What a reservation attempt came to: a reservation, or the claim result that ends the request. */
export type ReserveOutcome =
  | Reservation
  | Extract<ClaimResult, { status: 'nothing-to-claim' | 'claim-in-progress' | 'cap-reached' }>;

/** One claim request to reserve. */
export interface ReserveRequest {
  /** 32 bytes. */
  wallet: Uint8Array;
  requestedBy: string | null;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * Reserves claims for `requests` in one short transaction, in order: each wallet's entitlement minus what its
 * settled, pending and reserved claims pay, cut to the per-claim cap and what remains of the rolling-24-hour caps.
 * At most one reserved or pending claim per wallet exists (the open-claim unique index); a request for a wallet with
 * one (or reserved earlier in the same batch) gets `claim-in-progress`.
 *
 * @example
 * const [outcome] = await reserveClaims(db, [{ wallet, requestedBy: 'viewer:1234' }], caps);
 * if (outcome?.status === 'reserved') console.log(`claim ${outcome.claimId} of ${outcome.amount}`);
 */
export async function reserveClaims(
  db: DatabaseHandle,
  requests: readonly ReserveRequest[],
  caps: DirectCaps,
): Promise<ReserveOutcome[]> {
  if (requests.length === 0) return [];
  try {
    return await db.transaction((query) => reserveLocked(query, requests, caps));
  } catch (error) {
    // The lock makes this unreachable for reservations made here; a row inserted by other means still ends cleanly.
    if (!isUniqueViolation(error)) throw error;
    if (requests.length > 1) {
      const one = async (request: ReserveRequest) => (await reserveClaims(db, [request], caps))[0] as ReserveOutcome;
      const outcomes: ReserveOutcome[] = [];
      for (const request of requests) outcomes.push(await one(request));
      return outcomes;
    }
    const [open] = await db.query<{ id: number }>(sql`
      select id::float8 as id from claims where wallet = ${requests[0]?.wallet} and status in ('reserved', 'pending')`);
    if (!open) throw error;
    return [{ status: 'claim-in-progress', claimId: open.id }];
  }
}

interface WalletState {
  total: bigint;
  openId: number | null;
  /** Index of the request reserved for this wallet in this batch. */
  reservedBy: number | null;
  paid: bigint;
  day: bigint;
}

/** A request's fate before the rows are inserted. */
type Decision =
  | ReserveOutcome
  | { status: 'reserve'; amount: bigint; total: bigint; paidBefore: bigint }
  | { status: 'reserved-in-batch'; by: number }
  | { status: 'refused'; cap: CapName; wallet: Uint8Array | null; used: bigint; limit: bigint };

async function reserveLocked(
  query: RawQuery,
  requests: readonly ReserveRequest[],
  caps: DirectCaps,
): Promise<ReserveOutcome[]> {
  const wallets = [...new Map(requests.map((r) => [hex(r.wallet), r.wallet])).values()];
  // An entitlement only grows: read before the lock, it can only be lower than the latest, so a claim can only pay
  // less (the rest is the next claim's), never more. What was paid is read under the lock.
  const totals = await Promise.all(wallets.map((wallet) => walletEntitlement(query, wallet)));
  // No fsync while holding the lock: the 'pending' update (committed synchronously before anything is sent) flushes
  // these reservations with it, and a reservation lost in a database crash was never sent.
  await query(sql`set local synchronous_commit = off`);
  await query(sql`select pg_advisory_xact_lock(${SETTLEMENT_LOCK_KEY}::bigint)`);
  const { byWallet, totalDay } = await readClaimState(query, wallets, totals);

  let usedToday = totalDay;
  const decisions: Decision[] = requests.map((request, index) => {
    const wallet = byWallet.get(hex(request.wallet)) as WalletState;
    if (wallet.reservedBy !== null) return { status: 'reserved-in-batch', by: wallet.reservedBy };
    if (wallet.openId !== null) return { status: 'claim-in-progress', claimId: wallet.openId };
    if (wallet.total <= wallet.paid) return { status: 'nothing-to-claim', total: wallet.total, paid: wallet.paid };
    const capped = capClaim(wallet.total - wallet.paid, caps, { wallet: wallet.day, total: usedToday });
    if ('cap' in capped) {
      return capped.cap === 'per-day-wallet'
        ? { status: 'refused', cap: capped.cap, wallet: request.wallet, used: wallet.day, limit: caps.perWalletPerDay }
        : { status: 'refused', cap: capped.cap, wallet: null, used: usedToday, limit: caps.perDay };
    }
    const decision = {
      status: 'reserve' as const,
      amount: capped.amount,
      total: wallet.total,
      paidBefore: wallet.paid,
    };
    wallet.reservedBy = index;
    wallet.paid += capped.amount;
    wallet.day += capped.amount;
    usedToday += capped.amount;
    return decision;
  });

  const ids = await insertReserved(query, requests, decisions);
  const outcomes: ReserveOutcome[] = [];
  for (const [index, d] of decisions.entries()) {
    if (d.status === 'reserve') {
      const claimId = ids.get(hex(requests[index]?.wallet as Uint8Array)) as number;
      outcomes.push({ status: 'reserved', claimId, amount: d.amount, total: d.total, paidBefore: d.paidBefore });
    } else if (d.status === 'reserved-in-batch') {
      outcomes.push({
        status: 'claim-in-progress',
        claimId: ids.get(hex(requests[d.by]?.wallet as Uint8Array)) as number,
      });
    } else if (d.status === 'refused') {
      // Timed against the window as it now stands, this batch's reservations included.
      const retryAfterSeconds = await retryAfter(query, d.wallet, d.used, d.limit);
      outcomes.push({ status: 'cap-reached', cap: d.cap, retryAfterSeconds });
    } else {
      outcomes.push(d);
    }
  }
  return outcomes;
}

/** Per wallet: its entitlement, open claim, what it was paid and what counts against today; and everyone's today. */
async function readClaimState(
  query: RawQuery,
  wallets: readonly Uint8Array[],
  totals: readonly { total: bigint }[],
): Promise<{ byWallet: Map<string, WalletState>; totalDay: bigint }> {
  const values = sql.join(
    wallets.map((wallet) => sql`(${wallet}::bytea)`),
    sql`, `,
  );
  const rows = await query<{
    wallet: Uint8Array;
    open_id: number | null;
    paid: string;
    day: string;
    total_day: string;
  }>(sql`
    select w.wallet,
      (select id::float8 from claims c where c.wallet = w.wallet and status in ('reserved', 'pending') limit 1) as open_id,
      (select coalesce(sum(amount), 0)::text from claims c where c.wallet = w.wallet and ${COUNTED}) as paid,
      (select coalesce(sum(amount), 0)::text from claims c
        where c.wallet = w.wallet and ${COUNTED} and created_at > now() - ${DAY}) as day,
      (select coalesce(sum(amount), 0)::text from claims where ${COUNTED} and created_at > now() - ${DAY}) as total_day
    from (values ${values}) as w(wallet)`);
  const totalByWallet = new Map(wallets.map((wallet, i) => [hex(wallet), totals[i]?.total ?? 0n]));
  const byWallet = new Map<string, WalletState>();
  for (const row of rows) {
    const key = hex(new Uint8Array(row.wallet));
    const total = totalByWallet.get(key) ?? 0n;
    byWallet.set(key, { total, openId: row.open_id, reservedBy: null, paid: BigInt(row.paid), day: BigInt(row.day) });
  }
  if (byWallet.size !== wallets.length) throw new Error('the claims summary is missing a wallet of the batch');
  return { byWallet, totalDay: BigInt(rows[0]?.total_day ?? 0) };
}

/** Inserts the reserved rows in one statement; their ids by wallet (hex). */
async function insertReserved(
  query: RawQuery,
  requests: readonly ReserveRequest[],
  decisions: readonly Decision[],
): Promise<Map<string, number>> {
  const rows = decisions.flatMap((d, index) => {
    const request = requests[index];
    if (d.status !== 'reserve' || !request) return [];
    return [
      sql`(${request.wallet}::bytea, ${d.amount.toString()}::numeric, ${d.total.toString()}::numeric,
        ${d.paidBefore.toString()}::numeric, 'reserved', ${request.requestedBy}::text)`,
    ];
  });
  if (rows.length === 0) return new Map();
  const inserted = await query<{ id: number; wallet: Uint8Array }>(sql`
    insert into claims (wallet, amount, total, paid_before, status, requested_by)
    values ${sql.join(rows, sql`, `)} returning id::float8 as id, wallet`);
  if (inserted.length !== rows.length) throw new Error('inserting the reserved claims returned too few rows');
  return new Map(inserted.map((row) => [hex(new Uint8Array(row.wallet)), row.id]));
}

/**
 * Seconds until enough of the window's claims (of `wallet`, or of everyone) age out of it that `cap` has room again:
 * the oldest claims leave first, and room exists once `used` minus what left is below `cap`.
 */
async function retryAfter(query: RawQuery, wallet: Uint8Array | null, used: bigint, cap: bigint): Promise<number> {
  const scope = wallet === null ? sql`` : sql`wallet = ${wallet} and`;
  const [row] = await query<{ seconds: number }>(sql`
    select greatest(1, ceil(extract(epoch from (created_at + ${DAY} - now()))))::float8 as seconds
    from (select created_at, id, sum(amount) over (order by created_at, id) as leaving
          from claims where ${scope} ${COUNTED} and created_at > now() - ${DAY}) as window_claims
    where ${used.toString()}::numeric - leaving < ${cap.toString()}::numeric
    order by created_at, id limit 1`);
  return row?.seconds ?? 86_400;
}

/** Whether `error` (or what it wraps, as drizzle does) is PostgreSQL's unique_violation. */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
