// Raw SQL inside and outside transactions, with one row shape on either driver.
import type { DatabaseHandle } from '@attention-oracle/db';
import type { SQL } from 'drizzle-orm';

/** Runs one raw statement and returns its rows as plain objects. */
export type Query = <Row = Record<string, unknown>>(statement: SQL) => Promise<Row[]>;

// postgres-js resolves to an array of rows, PGlite to `{ rows }`.
function rowsOf<Row>(result: unknown): Row[] {
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}

/**
 * Runs `work` in one database transaction, handing it a {@link Query} bound to that transaction. A thrown error rolls
 * everything back, so a seal or an import is all or nothing.
 */
export function inTransaction<T>(handle: DatabaseHandle, work: (query: Query) => Promise<T>): Promise<T> {
  return handle.db.transaction((tx) =>
    work(async <Row>(statement: SQL) => rowsOf<Row>(await tx.execute(statement as never))),
  );
}

/** A {@link Query} outside any transaction (each statement commits on its own). */
export const queryOf =
  (handle: DatabaseHandle): Query =>
  (statement) =>
    handle.query(statement);

/**
 * A PostgreSQL array literal of text values, each quoted, for `unnest($1::text[])`. `pgArray` from the db package
 * leaves values unquoted, which is only safe for numbers and UUIDs.
 */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
