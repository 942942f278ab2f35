import { InvalidArgumentError, requireArgument } from '../errors.js';
import { type Exclusions, PARTICIPATION_COUNTERS, type ParticipationRow } from './types.js';

/**
 * Drops the rows of suppressed and bot viewers. This runs before anything else, so an excluded viewer's rows are
 * never validated, counted, or able to fail a run.
 */
export function applyExclusions<Row extends ParticipationRow>(rows: readonly Row[], exclusions: Exclusions): Row[] {
  requireArgument(Array.isArray(rows), 'rows must be an array');
  requireArgument(
    typeof exclusions === 'object' && exclusions !== null,
    'exclusions must be an object with suppressed and bots',
  );
  const excluded = new Set<string>([
    ...requireViewerKeys(exclusions.suppressed, 'suppressed'),
    ...requireViewerKeys(exclusions.bots, 'bots'),
  ]);
  return rows.filter((row) => {
    requireArgument(typeof row === 'object' && row !== null, 'every row must be an object');
    return !excluded.has(row.viewer);
  });
}

/** Checks a row's channel, viewer and counters, naming the row and the field in the error. */
export function validateParticipationRow(row: ParticipationRow): void {
  // Policies run this on every row of an epoch (a million of them), so each check comes first and the message,
  // with its JSON.stringify calls, is only built for a row that fails.
  requireKeyString(row.channel, 'channel', row);
  requireKeyString(row.viewer, 'viewer', row);
  for (const field of PARTICIPATION_COUNTERS) {
    const value = row[field];
    if (!(Number.isSafeInteger(value) && value >= 0)) {
      throw new InvalidArgumentError(
        `${describeRow(row)}: ${field} must be a non-negative safe integer, got ${String(value)}`,
      );
    }
  }
}

/** `row (channel "c", viewer "v")`, for error messages. */
export function describeRow(row: ParticipationRow): string {
  return `row (channel ${JSON.stringify(row.channel)}, viewer ${JSON.stringify(row.viewer)})`;
}

/**
 * A map key joining `parts` with NUL. Validated channels and viewers never contain NUL, so distinct tuples never
 * share a key, which keeps tie-breaks on these keys deterministic.
 */
export function joinKey(...parts: readonly (string | number)[]): string {
  return parts.join('\u0000');
}

/** Plain string comparison (UTF-16 code units, like `<`), as a sort comparator. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requireKeyString(value: unknown, field: 'channel' | 'viewer', row: ParticipationRow): void {
  if (!(typeof value === 'string' && value !== '' && !value.includes('\u0000'))) {
    throw new InvalidArgumentError(`${describeRow(row)}: ${field} must be a non-empty string without NUL characters`);
  }
}

function requireViewerKeys(keys: Iterable<string>, what: string): string[] {
  // A lone string is iterable too, and would silently exclude single characters.
  requireArgument(
    typeof keys === 'object' && keys !== null && Symbol.iterator in keys,
    `exclusions.${what} must be an iterable of viewer keys (not a string)`,
  );
  const list = [...keys];
  // A numeric id would never match a string viewer key, so the viewer would be paid despite the exclusion.
  for (const key of list) {
    requireArgument(typeof key === 'string', `exclusions.${what} must hold strings, got ${typeof key} ${String(key)}`);
  }
  return list;
}
