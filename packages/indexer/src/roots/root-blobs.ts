// A root's tree artifact and dataset in root_blobs: parts of at most 8 MiB; datasets gzipped.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { type RawQuery, sql } from '@attention-oracle/db';

/** The largest part of a blob (a bytea holds at most 1 GiB; smaller parts keep each statement modest). */
export const BLOB_PART_BYTES = 8 * 1024 * 1024;

/** What a blob holds. */
export type RootBlobKind = 'artifact' | 'dataset';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * A dataset as stored: gzipped (on libuv's thread pool, so it overlaps other work).
 *
 * @example const stored = await compressDataset(file);
 */
export async function compressDataset(dataset: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await gzipAsync(dataset));
}

/**
 * Writes `bytes` as blob `kind` of root `rootId`, in parts. Errors name the part without echoing its bytes.
 *
 * @example await writeRootBlob(query, rootId, 'artifact', await tree.dump());
 */
export async function writeRootBlob(query: RawQuery, rootId: number, kind: RootBlobKind, bytes: Uint8Array) {
  const parts = Math.max(1, Math.ceil(bytes.length / BLOB_PART_BYTES));
  for (let part = 0; part < parts; part++) {
    const data = bytes.subarray(part * BLOB_PART_BYTES, (part + 1) * BLOB_PART_BYTES);
    try {
      await query(
        sql`insert into root_blobs (root_id, kind, part, data) values (${rootId}, ${kind}, ${part}, ${data})`,
      );
    } catch (error) {
      // The driver's error quotes the statement's parameters (megabytes of hex): keep only the database's words.
      const cause = (error as { cause?: { message?: string; code?: string } }).cause;
      const why = cause?.message ?? 'database error';
      throw new Error(
        `storing part ${part + 1} of ${parts} of root ${rootId}'s ${kind} failed: ${why} (${cause?.code ?? '?'})`,
      );
    }
  }
}

/**
 * Blob `kind` of root `rootId` as one buffer, or null when it is not stored (retention may have removed it).
 *
 * @example const artifact = await readRootBlob(db.query, rootId, 'artifact');
 */
export async function readRootBlob(query: RawQuery, rootId: number, kind: RootBlobKind): Promise<Uint8Array | null> {
  const rows = await query<{ part: number; data: Uint8Array }>(sql`
    select part, data from root_blobs where root_id = ${rootId} and kind = ${kind} order by part`);
  if (rows.length === 0) return null;
  rows.forEach((row, i) => {
    if (row.part !== i) throw new Error(`root ${rootId}'s ${kind} is missing part ${i + 1} of ${rows.length}`);
  });
  const out = new Uint8Array(rows.reduce((sum, row) => sum + row.data.length, 0));
  let at = 0;
  for (const row of rows) {
    out.set(row.data, at);
    at += row.data.length;
  }
  return out;
}

/**
 * The dataset of root `rootId`, uncompressed, or null when it is not stored.
 *
 * @example const file = await readRootDataset(db.query, rootId);
 */
export async function readRootDataset(query: RawQuery, rootId: number): Promise<Uint8Array | null> {
  const stored = await readRootBlob(query, rootId, 'dataset');
  return stored === null ? null : new Uint8Array(await gunzipAsync(stored));
}

/**
 * Deletes artifacts no server will load: every blob of superseded roots, and the artifacts of published roots older
 * than the `keep` newest published ones of `mint` (datasets of published and imported roots are kept forever).
 *
 * @example await applyBlobRetention(query, mint); // after a new root is stored
 */
export async function applyBlobRetention(query: RawQuery, mint: Uint8Array, keep = 4): Promise<void> {
  await query(sql`
    delete from root_blobs where root_id in (select id from roots where mint = ${mint} and status = 'superseded')`);
  await query(sql`
    delete from root_blobs where kind = 'artifact' and root_id in (
      select id from roots where mint = ${mint} and status = 'published'
        and id not in (select id from roots where mint = ${mint} and status = 'published' order by seq desc limit ${keep}))`);
}
