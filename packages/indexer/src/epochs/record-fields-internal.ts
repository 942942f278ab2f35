// Strict field parsing shared by the CSV and JSONL imports. Problems are thrown as RecordProblem, which the importer
// turns into an ImportError naming the line.

/** What is wrong with one record; the importer adds the file and line. */
export class RecordProblem extends Error {}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const INT8_MAX = (1n << 63n) - 1n;

/** The columns of a CSV header line: known names, no duplicates, the required ones present. */
export function csvHeader(text: string, known: readonly string[], required: readonly string[]): string[] {
  const names = splitCsv(text);
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.includes(name))
      throw new RecordProblem(`unknown column ${JSON.stringify(name)} (known: ${known.join(', ')})`);
    if (seen.has(name)) throw new RecordProblem(`column ${name} appears twice`);
    seen.add(name);
  }
  for (const name of required) if (!seen.has(name)) throw new RecordProblem(`the header lacks column ${name}`);
  return names;
}

/** One CSV data line as a record of the header's columns. Values are plain: no quoting, no spaces. */
export function csvRecord(header: readonly string[], text: string): Record<string, string> {
  const values = splitCsv(text);
  if (values.length !== header.length) {
    throw new RecordProblem(`expected ${header.length} fields (${header.join(',')}), got ${values.length}`);
  }
  return Object.fromEntries(header.map((name, i) => [name, values[i] as string]));
}

/** One JSONL line as a plain object, its keys all in `known`. */
export function jsonRecord(text: string, known: readonly string[]): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordProblem(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordProblem('expected a JSON object');
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new RecordProblem(`unknown field ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

/** A non-negative integer field in 0..max, given as a JSON number or a canonical decimal string. */
export function integerField(record: Record<string, unknown>, name: string, max: number): number {
  const value = record[name];
  const n = typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new RecordProblem(`${name} must be an integer from 0 to ${max}, got ${describe(value)}`);
  }
  return n;
}

/** A positive id that fits PostgreSQL's bigint, as a canonical decimal string. */
export function idField(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text) || text === '0' || BigInt(text) > INT8_MAX) {
    throw new RecordProblem(`${name} must be a positive decimal id below 2^63, got ${describe(value)}`);
  }
  return text;
}

/** Whether a field holds a value (present, not null, not an empty CSV cell). */
export const hasValue = (record: Record<string, unknown>, name: string) =>
  record[name] !== undefined && record[name] !== null && record[name] !== '';

export function describe(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value)?.slice(0, 80) ?? String(value));
}

function splitCsv(text: string): string[] {
  if (/["\s]/.test(text)) throw new RecordProblem('quotes and whitespace are not allowed in fields');
  return text.split(',');
}
