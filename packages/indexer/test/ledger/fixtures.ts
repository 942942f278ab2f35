// Shared setup of the ledger tests: both backends with every ledger table emptied, and terse writers and readers.
import { toHex } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import type { TEST_BACKENDS } from '@attention-oracle/db/testing';
import { useDatabase } from '../epochs/fixtures.js';

/** Every backend the SQL must work on, for describe.each. */
export { backends } from '../epochs/fixtures.js';

/** Opens `open` once for the suite and empties the ledger's tables before each test; returns a getter. */
export const useLedgerDatabase = (open: (typeof TEST_BACKENDS)[number][1]) => useDatabase(open, resetLedger);

/** Empties every table the ledger reads or writes. */
export async function resetLedger(db: DatabaseHandle): Promise<void> {
  await db.query(sql`truncate epochs, allocations, suppressions, legacy_identities, paid_imports, audit_log,
    wallet_bindings, wallet_credits, wallet_totals, credited_epochs, corrections, external_credits,
    external_credit_imports, claims, chain_claims, alarms, api_keys, treasury_checks restart identity`);
}

/** An hourly epoch in November 2023, and the next ones. */
export const E = 1_699_999_200;
export const epochAt = (n: number) => E + n * 3600;

/** A deterministic 32-byte wallet. */
export function wallet(n: number): Uint8Array {
  const bytes = new Uint8Array(32);
  bytes[0] = 0xa0;
  bytes[31] = n;
  return bytes;
}

/** Allocations of one epoch: viewer -> amount (one channel), or [viewer, channel, amount] rows. */
export type EpochAllocations = Record<string, bigint> | [viewer: string, channel: number, amount: bigint][];

/** Inserts allocations for `epoch`, then marks it sealed (the 0001 trigger refuses allocations of a sealed epoch). */
export async function sealWith(db: DatabaseHandle, epoch: number, allocations: EpochAllocations): Promise<void> {
  const rows = Array.isArray(allocations)
    ? allocations
    : Object.entries(allocations).map(([viewer, amount]) => [viewer, 1, amount] as const);
  await db.query(sql`insert into epochs (epoch, length_seconds) values (${epoch}::bigint, 3600)`);
  for (const [viewer, channel, amount] of rows) {
    await db.query(sql`insert into allocations (epoch, channel_id, viewer, points, amount)
      values (${epoch}::bigint, ${channel}::bigint, ${viewer}, 0, ${amount.toString()}::numeric)`);
  }
  await db.query(sql`update epochs set status = 'sealed', sealed_at = now() where epoch = ${epoch}::bigint`);
}

/** wallet_totals as hex -> total. */
export async function totals(db: DatabaseHandle): Promise<Record<string, bigint>> {
  const rows = await db.query<{ w: string; t: string }>(sql`
    select encode(wallet, 'hex') as w, total::text as t from wallet_totals order by wallet`);
  return Object.fromEntries(rows.map((r) => [r.w, BigInt(r.t)]));
}

/** The total of one wallet (0 when it has none). */
export async function totalOf(db: DatabaseHandle, w: Uint8Array): Promise<bigint> {
  return (await totals(db))[toHex(w)] ?? 0n;
}

/** wallet_credits rows, oldest first, as plain values. */
export async function credits(db: DatabaseHandle) {
  const rows = await db.query<{
    viewer: string;
    wallet: string | null;
    kind: string;
    epoch: string | null;
    gross: string;
    offset: string;
    amount: string;
    assigned: boolean;
  }>(sql`select viewer, encode(wallet, 'hex') as wallet, kind, epoch::text as epoch, gross::text as gross,
      "offset"::text as "offset", amount::text as amount, assigned_at is not null as assigned
    from wallet_credits order by id`);
  return rows.map((r) => ({
    viewer: r.viewer,
    wallet: r.wallet,
    kind: r.kind,
    epoch: r.epoch === null ? null : Number(r.epoch),
    gross: BigInt(r.gross),
    offset: BigInt(r.offset),
    amount: BigInt(r.amount),
    assigned: r.assigned,
  }));
}

/** Outstanding offsets: viewer -> remaining, summed. */
export async function remainingOffsets(db: DatabaseHandle): Promise<Record<string, bigint>> {
  const rows = await db.query<{ viewer: string; r: string }>(sql`
    select viewer, sum(remaining)::text as r from corrections where kind = 'offset' group by viewer order by viewer`);
  return Object.fromEntries(rows.map((r) => [r.viewer, BigInt(r.r)]));
}

/** Opts a user out. */
export async function optOut(db: DatabaseHandle, userId: bigint): Promise<void> {
  await db.query(sql`insert into suppressions (user_id, reason) values (${userId.toString()}::bigint, 'test')`);
}
