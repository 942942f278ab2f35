// Historical participation from older systems: imported, then sealed like any epoch.
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { BACKFILL_FIELDS, backfillRow } from './backfill-row.js';
import { epochsToSeal } from './backfill-windows-internal.js';
import { createEpochs, firstStoredRow, firstTakenEpoch, insertRows, type LineRow } from './backfill-writer-internal.js';
import { lockEpoch } from './epoch-row-internal.js';
import { ImportError } from './import-error.js';
import { fileSize, readLines } from './line-reader-internal.js';
import { inTransaction, type Query } from './query-internal.js';
import { csvHeader, csvRecord, jsonRecord, RecordProblem } from './record-fields-internal.js';
import { sealLocked } from './seal-locked-internal.js';
import { planSeal, type SealPolicy } from './seal-policy.js';
import type { SealedEpoch } from './seal-types.js';

/** Options of {@link importBackfill}. */
export interface BackfillOptions {
  readonly epochSeconds: number;
  /** The policy the imported epochs seal under. */
  readonly policy: SealPolicy;
  /** Default: from the file's extension (`.csv`; `.jsonl` or `.ndjson`). */
  readonly format?: 'csv' | 'jsonl';
  /** Unix ms (default `Date.now()`): epochs must have ended by then; also the recorded `sealed_at`. */
  readonly now?: number;
  readonly actor?: string;
  /** Called after each chunk with bytes read so far and the file's size. */
  readonly onProgress?: (done: number, total?: number) => void;
  /** Rows per bulk insert (default 10,000). */
  readonly chunkRows?: number;
}

/** What an import did. */
export interface BackfillResult {
  readonly rows: number;
  /** The epochs it sealed, oldest first. */
  readonly sealed: SealedEpoch[];
}

/**
 * Imports historical participation from a CSV (header required) or JSONL file and seals the epochs it holds, all in
 * one transaction: any invalid line is an {@link ImportError} naming it, and nothing is imported. Records carry
 * epoch, channel_id, user_id or login_hash, and the counters (see `BACKFILL_FIELDS`); rows known only by a login hash
 * are stored as viewer `legacy:<hex>` and recorded in legacy_identities. An import only creates epochs: one that
 * already exists (sealed, or open with chat data) is an error, so nothing sealed is ever changed. Readiness does not
 * apply (the epochs are history). Streams the file in chunks, so its size does not matter.
 *
 * @example await importBackfill(db, 'old.csv', { epochSeconds: 3600, policy, onProgress: (done, total) => bar.update(done) })
 */
export async function importBackfill(
  db: DatabaseHandle,
  file: string,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const format = options.format ?? formatOf(file);
  const nowMs = options.now ?? Date.now();
  const chunkRows = options.chunkRows ?? 10_000;
  planSeal(options.policy, 0, options.epochSeconds); // invalid parameters fail before any database work
  const total = await fileSize(file);
  return inTransaction(db, async (query) => {
    const firstLine = new Map<number, number>(); // epoch -> first line holding it
    let header: string[] | undefined;
    let chunk: LineRow[] = [];
    let rows = 0;
    const flush = async (bytes: number) => {
      await writeChunk(query, file, chunk, firstLine, options.epochSeconds);
      rows += chunk.length;
      chunk = [];
      options.onProgress?.(bytes, total);
    };
    for await (const line of readLines(file)) {
      if (line.text === '') continue;
      try {
        if (format === 'csv' && header === undefined) {
          header = csvHeader(line.text, BACKFILL_FIELDS, ['epoch', 'channel_id']);
          if (!header.includes('user_id') && !header.includes('login_hash')) {
            throw new RecordProblem('the header needs a user_id or a login_hash column');
          }
          continue;
        }
        const record = header !== undefined ? csvRecord(header, line.text) : jsonRecord(line.text, BACKFILL_FIELDS);
        chunk.push({ line: line.number, row: backfillRow(record, options.epochSeconds, nowMs) });
      } catch (error) {
        if (error instanceof RecordProblem) throw new ImportError(file, line.number, error.message);
        throw error;
      }
      if (chunk.length >= chunkRows) await flush(line.bytesRead);
    }
    if (format === 'csv' && header === undefined) throw new ImportError(file, 1, 'the file has no header line');
    await flush(total);

    const sealed: SealedEpoch[] = [];
    for (const epoch of await epochsToSeal(query, file, firstLine, { ...options, nowMs })) {
      await lockEpoch(query, epoch, options.epochSeconds, 'backfill');
      const work = { ...options, nowMs, actor: options.actor ?? 'backfill', source: 'backfill' as const, dead: [] };
      sealed.push(await sealLocked(query, epoch, work));
    }
    const details = JSON.stringify({ file, format, rows, epochs: sealed.map((s) => s.epoch) });
    await query(sql`insert into audit_log (actor, action, subject, details)
      values (${options.actor ?? 'backfill'}, 'backfill.imported', ${file}, ${details}::jsonb)`);
    return { rows, sealed };
  });
}

async function writeChunk(
  query: Query,
  file: string,
  chunk: readonly LineRow[],
  firstLine: Map<number, number>,
  epochSeconds: number,
): Promise<void> {
  const seen = new Map<string, number>();
  const newEpochs = new Map<number, number>();
  for (const { line, row } of chunk) {
    const key = `${row.epoch}\u0000${row.channelId}\u0000${row.viewer}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new ImportError(file, line, `repeats the epoch, channel and viewer of line ${earlier}`);
    seen.set(key, line);
    if (!firstLine.has(row.epoch) && !newEpochs.has(row.epoch)) newEpochs.set(row.epoch, line);
  }
  const fresh = [...newEpochs.keys()].sort((a, b) => a - b);
  const taken = fresh.length > 0 ? await firstTakenEpoch(query, fresh) : undefined;
  if (taken !== undefined) {
    const what = taken.status === 'sealed' ? 'is already sealed' : 'already has chat data (it is not history)';
    throw new ImportError(file, newEpochs.get(taken.epoch) ?? 0, `epoch ${taken.epoch} ${what}`);
  }
  // Rows of epochs begun in an earlier chunk may repeat a row written then; new epochs cannot.
  const continuing = chunk.filter((r) => firstLine.has(r.row.epoch));
  const repeated = continuing.length > 0 ? await firstStoredRow(query, continuing) : -1;
  if (repeated >= 0) {
    const { line } = continuing[repeated] as LineRow;
    throw new ImportError(file, line, 'repeats the epoch, channel and viewer of an earlier line');
  }
  if (fresh.length > 0) await createEpochs(query, fresh, epochSeconds);
  for (const [epoch, line] of newEpochs) firstLine.set(epoch, line);
  if (chunk.length > 0) await insertRows(query, chunk);
}

function formatOf(file: string): 'csv' | 'jsonl' {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  throw new Error(`cannot tell the format of ${file} from its extension: pass format 'csv' or 'jsonl'`);
}
