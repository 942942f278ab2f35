// The claim row's transitions after its reservation, each one guarded statement, and the reads the server needs.
import { base58Encode } from '@attention-oracle/core';
import { type RawQuery, sql } from '@attention-oracle/db';
import type { ClaimRecord, ClaimStatus } from './types.js';

/** What is stored before a claim's transaction is sent. */
export interface SignedClaim {
  signature: string;
  lastValidBlockHeight: number;
  /** The signed transaction's wire bytes, re-sent by reconcile if it was lost. */
  wire: Uint8Array;
  fee: bigint;
}

/**
 * Moves claim `id` from 'reserved' to 'pending' with its signed transaction. False when it is no longer reserved
 * (reconcile voided it meanwhile): the transaction must then never be sent.
 *
 * @example
 * if (!(await markPending(db.query, claimId, signed))) return; // voided: do not send
 */
export async function markPending(query: RawQuery, id: number, signed: SignedClaim): Promise<boolean> {
  const rows = await query(sql`
    update claims set status = 'pending', signature = ${signed.signature},
      last_valid_block_height = ${signed.lastValidBlockHeight}::bigint, transaction = ${signed.wire},
      fee = ${signed.fee.toString()}::numeric, sent_at = now()
    where id = ${id}::bigint and status = 'reserved' returning id`);
  return rows.length === 1;
}

/** How a claim ended, with what the audit log records. */
export type ClaimEnding =
  | { status: 'settled'; slot: number }
  | { status: 'failed'; error: string; slot?: number }
  | { status: 'voided'; error: string };

/**
 * Ends claim `id` if it is still in `from`, and writes the audit entry in the same statement. False when another
 * process ended it first (claim() and reconcile may both see the same transaction land).
 *
 * @example
 * await finishClaim(db.query, claimId, 'pending', { status: 'settled', slot: 1234 }, 'claim-reconcile');
 */
export async function finishClaim(
  query: RawQuery,
  id: number,
  from: 'reserved' | 'pending',
  ending: ClaimEnding,
  actor: string,
): Promise<boolean> {
  const slot = 'slot' in ending && ending.slot !== undefined ? ending.slot : null;
  const error = 'error' in ending ? ending.error : null;
  const rows = await query<{ wallet: Uint8Array }>(sql`
    with ended as (
      update claims set status = ${ending.status}, slot = coalesce(${slot}::bigint, slot), error = ${error},
        finished_at = now()
      where id = ${id}::bigint and status = ${from}
      returning id, wallet, amount, fee, signature, slot, error, requested_by)
    insert into audit_log (actor, action, subject, details)
    select ${actor}, ${`claim.${ending.status}`}, 'claim ' || id::text,
      jsonb_build_object('claimId', id, 'wallet', encode(wallet, 'hex'), 'amount', amount::text, 'fee', fee::text,
        'signature', signature, 'slot', slot, 'error', error, 'requestedBy', requested_by)
    from ended returning id`);
  return rows.length === 1;
}

interface ClaimRow {
  id: number;
  wallet: Uint8Array;
  status: ClaimStatus;
  amount: string;
  fee: string | null;
  total: string;
  paid_before: string;
  signature: string | null;
  last_valid_block_height: number | null;
  slot: number | null;
  error: string | null;
  requested_by: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
  finished_at: Date | string | null;
}

const CLAIM_COLUMNS = sql`id::float8 as id, wallet, status, amount::text as amount, fee::text as fee, total::text as total,
  paid_before::text as paid_before, signature, last_valid_block_height::float8 as last_valid_block_height,
  slot::float8 as slot, error, requested_by, created_at, sent_at, finished_at`;

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

function toRecord(row: ClaimRow): ClaimRecord {
  const wallet = new Uint8Array(row.wallet);
  return {
    id: row.id,
    wallet,
    address: base58Encode(wallet),
    status: row.status,
    amount: BigInt(row.amount),
    fee: row.fee === null ? null : BigInt(row.fee),
    total: BigInt(row.total),
    paidBefore: BigInt(row.paid_before),
    signature: row.signature,
    lastValidBlockHeight: row.last_valid_block_height,
    slot: row.slot,
    error: row.error,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at),
    sentAt: date(row.sent_at),
    finishedAt: date(row.finished_at),
  };
}

/**
 * One claim by id, or null.
 *
 * @example
 * const claim = await readClaim(db.query, 42);
 * if (claim?.status === 'settled') console.log(claim.signature);
 */
export async function readClaim(query: RawQuery, id: number): Promise<ClaimRecord | null> {
  const [row] = await query<ClaimRow>(sql`select ${CLAIM_COLUMNS} from claims where id = ${id}::bigint`);
  return row ? toRecord(row) : null;
}

/** Filters of {@link listClaims}. */
export interface ClaimListOptions {
  /** Only this wallet's claims (32 bytes). */
  wallet?: Uint8Array;
  status?: ClaimStatus;
  /** Newest first, at most this many (default 100, at most 10,000). */
  limit?: number;
}

/**
 * Claims, newest first (for `claims list` in the CLI and the admin API).
 *
 * @example
 * for (const claim of await listClaims(db.query, { status: 'pending' })) console.log(claim.id, claim.signature);
 */
export async function listClaims(query: RawQuery, options: ClaimListOptions = {}): Promise<ClaimRecord[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 10_000);
  const wallet = options.wallet === undefined ? sql`` : sql`and wallet = ${options.wallet}`;
  const status = options.status === undefined ? sql`` : sql`and status = ${options.status}`;
  const rows = await query<ClaimRow>(sql`
    select ${CLAIM_COLUMNS} from claims where true ${wallet} ${status} order by created_at desc, id desc limit ${limit}`);
  return rows.map(toRecord);
}

/**
 * The sums of a wallet's settled and of its reserved or pending claims.
 *
 * @example
 * const { settled, inFlight } = await claimSums(db.query, wallet);
 */
export async function claimSums(query: RawQuery, wallet: Uint8Array): Promise<{ settled: bigint; inFlight: bigint }> {
  const [row] = await query<{ settled: string; in_flight: string }>(sql`
    select coalesce(sum(amount) filter (where status = 'settled'), 0)::text as settled,
      coalesce(sum(amount) filter (where status in ('reserved', 'pending')), 0)::text as in_flight
    from claims where wallet = ${wallet}`);
  return { settled: BigInt(row?.settled ?? 0), inFlight: BigInt(row?.in_flight ?? 0) };
}
