// External credits: the V5 base yield per wallet, imported per root from a file. Cumulative, like every leaf amount.
import { readFile } from 'node:fs/promises';
import { base58Encode, createBulkKeccak, fromHex, InvalidArgumentError, toHex } from '@attention-oracle/core';
import { type DatabaseHandle, pgArray, type RawQuery, sql } from '@attention-oracle/db';
import { audit } from '../audit.js';
import { ImportError } from '../epochs/import-error.js';
import { type ExternalCreditRows, parseExternalCredits } from './external-credits-file.js';
import { requireActor } from './inputs-internal.js';

/** Options of {@link importExternalCredits}. */
export interface ExternalCreditImportOptions {
  /** The root these base yields are for (1..2^63-1). */
  readonly rootSeq: bigint;
  /** Where the file came from: 1-64 of [A-Za-z0-9_.:-]. */
  readonly source: string;
  readonly actor: string;
  /** Called after each chunk with rows written and the file's row count. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What {@link importExternalCredits} did. */
export interface ExternalCreditImportResult {
  readonly rootSeq: bigint;
  /** False when this very file was already imported for this root (nothing changed). */
  readonly imported: boolean;
  readonly wallets: number;
  readonly total: bigint;
  /** keccak256 of the file, hex. */
  readonly fileHash: string;
}

const INT8_MAX = (1n << 63n) - 1n;
const SOURCE = /^[A-Za-z0-9_.:-]{1,64}$/;
const CHUNK_ROWS = 50_000;
/** A lock of its own (the ledger's is for wallet_credits and wallet_totals, which an import does not touch). */
const EXTERNAL_CREDITS_LOCK_KEY = 7_426_003;
/** Offending wallets listed in a decrease error (the count is always exact). */
const LISTED = 10;

interface Decrease {
  line: number;
  wallet: string;
  value: string;
  previous: string;
  previousSeq: string;
}

/**
 * Imports `file` (CSV with header `wallet,base_yield`) as the base yields of root `rootSeq`, in one transaction. Each
 * base yield is cumulative: a value below the wallet's value in an earlier import is rejected with the first
 * offenders listed. Roots are imported in increasing order. The same file again for the same root is a no-op (its
 * keccak256 is recorded); a different file for a root already imported is an error. A wallet absent from a later
 * file keeps its earlier value (see walletEntitlement in totals.ts).
 *
 * @example await importExternalCredits(db, 'base-yield-12.csv', { rootSeq: 12n, source: 'v5-yield', actor: 'cli' });
 */
export async function importExternalCredits(
  db: DatabaseHandle,
  file: string,
  options: ExternalCreditImportOptions,
): Promise<ExternalCreditImportResult> {
  const { rootSeq, source } = options;
  if (typeof rootSeq !== 'bigint' || rootSeq < 1n || rootSeq > INT8_MAX) {
    throw new InvalidArgumentError(`root seq must be a bigint from 1 to 2^63-1, got ${String(rootSeq)}`);
  }
  if (typeof source !== 'string' || !SOURCE.test(source)) {
    throw new InvalidArgumentError(`source must be 1-64 of [A-Za-z0-9_.:-], got ${JSON.stringify(source)}`);
  }
  const actor = requireActor(options.actor);
  const bytes = await readFile(file);
  const fileHash = toHex((await createBulkKeccak()).hash(bytes));
  const rows = parseExternalCredits(bytes, file);
  const total = rows.baseYields.reduce((sum, value) => sum + value, 0n);
  const seq = rootSeq.toString();
  return db.transaction(async (query) => {
    // One import at a time: the checks below read what earlier imports wrote.
    await query(sql`select pg_advisory_xact_lock(${EXTERNAL_CREDITS_LOCK_KEY}::bigint)`);
    const [existing] = await query<{ file_hash: string; source: string; wallets: number; total: string }>(sql`
      select file_hash, source, wallets, total::text as total from external_credit_imports where root_seq = ${seq}::bigint`);
    if (existing !== undefined) {
      if (existing.file_hash !== fileHash) {
        throw new InvalidArgumentError(
          `root seq ${seq} already has external credits from ${existing.source} (file keccak256 ${existing.file_hash}); ${file} (keccak256 ${fileHash}) cannot replace them`,
        );
      }
      return { rootSeq, imported: false, wallets: existing.wallets, total: BigInt(existing.total), fileHash };
    }
    const [newest] = await query<{ seq: string | null }>(sql`
      select max(root_seq)::text as seq from external_credit_imports`);
    if (newest?.seq != null && BigInt(newest.seq) > rootSeq) {
      throw new InvalidArgumentError(
        `external credits are imported in root order: root seq ${seq} is before the newest import, root seq ${newest.seq}`,
      );
    }
    await query(sql`insert into external_credit_imports (root_seq, source, file_hash, wallets, total, imported_by)
      values (${seq}::bigint, ${source}, ${fileHash}, ${rows.wallets.length}::int, ${total.toString()}::numeric, ${actor})`);
    const decreases: Decrease[] = [];
    let decreased = 0;
    for (let start = 0; start < rows.wallets.length; start += CHUNK_ROWS) {
      const end = Math.min(start + CHUNK_ROWS, rows.wallets.length);
      const found = await writeChunk(query, seq, rows, start, end);
      decreased += found.count;
      decreases.push(...found.listed.slice(0, LISTED - decreases.length));
      options.onProgress?.(end, rows.wallets.length);
    }
    const first = decreases[0];
    if (first !== undefined) {
      const listed = decreases
        .map((d) => `line ${d.line} ${d.wallet}: ${d.value} < ${d.previous} (root seq ${d.previousSeq})`)
        .join('; ');
      throw new ImportError(
        file,
        first.line,
        `base_yield is cumulative but ${decreased} wallet(s) are below their earlier value: ${listed}`,
      );
    }
    await audit(query, actor, 'external-credits.imported', seq, {
      file,
      source,
      fileHash,
      wallets: rows.wallets.length,
      total,
    });
    return { rootSeq, imported: true, wallets: rows.wallets.length, total, fileHash };
  });
}

/** Finds rows below the wallet's newest earlier value, then writes the chunk. */
async function writeChunk(
  query: RawQuery,
  seq: string,
  rows: ExternalCreditRows,
  start: number,
  end: number,
): Promise<{ count: number; listed: Decrease[] }> {
  const wallets = pgArray(rows.wallets.slice(start, end));
  const values = pgArray(rows.baseYields.slice(start, end));
  const found = await query<{ i: number; previous: string; previous_seq: string; n: number }>(sql`
    with lower as (
      select t.i, p.base_yield, p.root_seq
      from unnest(${wallets}::text[], ${values}::numeric[]) with ordinality as t(w, v, i)
      cross join lateral (
        select e.base_yield, e.root_seq from external_credits e
        where e.wallet = decode(t.w, 'hex') and e.root_seq < ${seq}::bigint
        order by e.root_seq desc limit 1
      ) p
      where t.v < p.base_yield
    )
    select (i - 1)::int as i, base_yield::text as previous, root_seq::text as previous_seq,
      (select count(*) from lower)::int as n
    from lower order by i limit ${LISTED}`);
  await query(sql`
    insert into external_credits (root_seq, wallet, base_yield)
    select ${seq}::bigint, decode(w, 'hex'), v from unnest(${wallets}::text[], ${values}::numeric[]) as t(w, v)`);
  const listed = found.map((row) => {
    const index = start + row.i;
    return {
      line: rows.lines[index] as number,
      wallet: base58Encode(fromHex(rows.wallets[index] as string)),
      value: String(rows.baseYields[index]),
      previous: row.previous,
      previousSeq: row.previous_seq,
    };
  });
  return { count: found[0]?.n ?? 0, listed };
}
