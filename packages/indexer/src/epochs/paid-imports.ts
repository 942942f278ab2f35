// Amounts an older system already paid out, so the ledger does not pay them twice.
import { U64_MAX } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { lockLedger } from '../ledger/ledger-lock.js';
import { ImportError } from './import-error.js';
import { fileSize, readLines } from './line-reader-internal.js';
import { inTransaction, type Query, textArray } from './query-internal.js';
import { csvHeader, csvRecord, describe, idField, RecordProblem } from './record-fields-internal.js';

/** Options of {@link importPaidAmounts}. */
export interface PaidImportOptions {
  readonly actor?: string;
  /** Called after each chunk with bytes read so far and the file's size. */
  readonly onProgress?: (done: number, total?: number) => void;
}

/** What an import of paid amounts did. */
export interface PaidImportResult {
  readonly rows: number;
  /** Rows new to paid_imports (a row imported before with the same amount is skipped). */
  readonly inserted: number;
}

interface PaidRow {
  readonly line: number;
  readonly viewer: string;
  readonly amount: string;
  readonly source: string;
}

const CHUNK_ROWS = 10_000;
const AMOUNT = /^[1-9][0-9]{0,19}$/;
const SOURCE = /^[A-Za-z0-9_.:-]{1,64}$/;
const LEGACY_VIEWER = /^legacy:[0-9a-f]{64}$/;

/**
 * Imports a CSV with header `viewer,amount,source` into paid_imports, in one transaction under the ledger lock; each
 * new row is also an offset (a corrections row, reason `paid by <source>`) withheld from the viewer's future credit. The viewer is a decimal
 * user id or `legacy:<64 lowercase hex>` (recorded in legacy_identities), the amount base units in 1..2^64-1, the
 * source a short name of the system that paid. Importing a file again is a no-op; a different amount for a
 * (viewer, source) already imported is an {@link ImportError}, as is any malformed line.
 *
 * @example await importPaidAmounts(db, 'paid.csv')
 */
export async function importPaidAmounts(
  db: DatabaseHandle,
  file: string,
  options: PaidImportOptions = {},
): Promise<PaidImportResult> {
  const total = await fileSize(file);
  return inTransaction(db, async (query) => {
    await lockLedger(query); // it writes offsets (corrections) that crediting draws on
    let header: string[] | undefined;
    let chunk: PaidRow[] = [];
    let rows = 0;
    let inserted = 0;
    const flush = async (bytes: number) => {
      inserted += await writeChunk(query, file, chunk, options.actor ?? 'import');
      rows += chunk.length;
      chunk = [];
      options.onProgress?.(bytes, total);
    };
    for await (const line of readLines(file)) {
      if (line.text === '') continue;
      try {
        if (header === undefined)
          header = csvHeader(line.text, ['viewer', 'amount', 'source'], ['viewer', 'amount', 'source']);
        else chunk.push({ line: line.number, ...paidRow(csvRecord(header, line.text)) });
      } catch (error) {
        if (error instanceof RecordProblem) throw new ImportError(file, line.number, error.message);
        throw error;
      }
      if (chunk.length >= CHUNK_ROWS) await flush(line.bytesRead);
    }
    if (header === undefined) throw new ImportError(file, 1, 'the file has no header line');
    await flush(total);
    const details = JSON.stringify({ file, rows, inserted });
    await query(sql`insert into audit_log (actor, action, subject, details)
      values (${options.actor ?? 'backfill'}, 'paid.imported', ${file}, ${details}::jsonb)`);
    return { rows, inserted };
  });
}

function paidRow(record: Record<string, string>): Omit<PaidRow, 'line'> {
  const { viewer, amount, source } = record as { viewer: string; amount: string; source: string };
  if (!LEGACY_VIEWER.test(viewer)) idField(record, 'viewer');
  if (!AMOUNT.test(amount) || BigInt(amount) > U64_MAX) {
    throw new RecordProblem(`amount must be a whole number of base units from 1 to 2^64-1, got ${describe(amount)}`);
  }
  if (!SOURCE.test(source)) throw new RecordProblem(`source must be 1-64 of [A-Za-z0-9_.:-], got ${describe(source)}`);
  return { viewer, amount, source };
}

async function writeChunk(query: Query, file: string, chunk: readonly PaidRow[], actor: string): Promise<number> {
  if (chunk.length === 0) return 0;
  const seen = new Map<string, PaidRow>();
  for (const row of chunk) {
    const earlier = seen.get(`${row.viewer},${row.source}`);
    if (earlier !== undefined && earlier.amount !== row.amount) {
      throw new ImportError(file, row.line, `a different amount than line ${earlier.line} for this viewer and source`);
    }
    seen.set(`${row.viewer},${row.source}`, row);
  }
  const viewers = textArray(chunk.map((r) => r.viewer));
  const sources = textArray(chunk.map((r) => r.source));
  const amounts = `{${chunk.map((r) => r.amount).join(',')}}`;
  const [conflict] = await query<{ i: number; amount: string }>(sql`
    select (t.i - 1)::int as i, p.amount::text as amount
    from unnest(${viewers}::text[], ${amounts}::numeric[], ${sources}::text[]) with ordinality as t(v, a, s, i)
    join paid_imports p on p.viewer = t.v and p.source = t.s and p.amount <> t.a
    order by t.i limit 1`);
  if (conflict !== undefined) {
    const row = chunk[conflict.i] as PaidRow;
    throw new ImportError(file, row.line, `${row.source} already recorded ${conflict.amount} for ${row.viewer}`);
  }
  await query(sql`insert into legacy_identities (login_hash)
    select distinct decode(substr(v, 8), 'hex') from unnest(${viewers}::text[]) as v where v like 'legacy:%'
    on conflict do nothing`);
  // Each paid amount is also an offset against the viewer's future credit (the ledger withholds it), recorded only for
  // rows this import adds: importing a file again adds neither.
  const [done] = await query<{ n: number }>(sql`
    with ins as (
      insert into paid_imports (viewer, source, amount)
      select distinct on (v, s) v, s, a from unnest(${viewers}::text[], ${sources}::text[], ${amounts}::numeric[]) as t(v, s, a)
      on conflict do nothing returning viewer, source, amount
    ), offsets as (
      insert into corrections (viewer, kind, amount, remaining, reason, created_by)
      select viewer, 'offset', amount, amount, 'paid by ' || source, ${actor} from ins order by viewer, source
    )
    select count(*)::int as n from ins`);
  return done?.n ?? 0;
}
