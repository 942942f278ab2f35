import { InvalidArgumentError } from '../errors.js';
import { compareStrings } from './rows.js';

/**
 * Canonical JSON of parameter-like data, so equal data always hashes the same: object keys sorted recursively (plain
 * string comparison), no whitespace, bigints as decimal strings, keys holding `undefined` left out. Numbers must be
 * safe integers: floating point has no canonical form here. Anything else (functions, symbols, class instances such
 * as Map or Date) is an InvalidArgumentError.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  switch (typeof value) {
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new InvalidArgumentError(`canonical JSON: ${path} must be a safe integer, got ${value}`);
      }
      return String(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((item, i) => encode(item, `${path}[${i}]`)).join(',')}]`;
      if (isPlainObject(value)) {
        const entries = Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => compareStrings(a, b))
          .map(([k, v]) => `${JSON.stringify(k)}:${encode(v, `${path}.${k}`)}`);
        return `{${entries.join(',')}}`;
      }
      break;
  }
  throw new InvalidArgumentError(`canonical JSON: ${path} has an unsupported ${typeof value} value`);
}

/** An object literal (or a null-prototype object), not a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
