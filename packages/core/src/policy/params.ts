import { requireU64, toHex } from '../bytes.js';
import { DEFAULT_EPOCH_SECONDS } from '../epoch.js';
import { InvalidArgumentError, requireArgument } from '../errors.js';
import { keccak256 } from '../keccak.js';
import { canonicalJson, isPlainObject } from './canonical-json.js';
import type { PolicyId } from './types.js';

/** Base units per whole token: the token has 9 decimals. */
export const TOKEN = 1_000_000_000n;

/** Defaults of the optional weighted-v1 parameters: 0.8 tokens per point, at most 60 active minutes counted. */
export const WEIGHTED_V1_DEFAULTS = {
  ratePerPoint: 800_000_000n,
  maxActiveMinutes: 60,
} as const;

/** Defaults of the optional promo-v1 parameters: 100 tokens plus 10 per participation, at most 1000, hourly epochs. */
export const PROMO_V1_DEFAULTS = {
  base: 100n * TOKEN,
  perParticipation: 10n * TOKEN,
  maxPerViewer: 1000n * TOKEN,
  epochSeconds: DEFAULT_EPOCH_SECONDS,
} as const;

/**
 * Checks that `params` is a plain object whose keys are all in `known`, and returns it. `what` names it in errors
 * (such as "weighted-v1 params"). An unknown key is an error rather than ignored: a misspelt cap would otherwise
 * silently not apply.
 */
export function requireParamsObject(params: unknown, what: string, known: readonly string[]): Record<string, unknown> {
  requireArgument(isPlainObject(params), `${what} must be a plain object`);
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError(`unknown ${what} key ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    }
  }
  return params;
}

/** Checks that a mandatory parameter is present (not undefined) and returns it. `why` explains what it is for. */
export function requirePresent(value: unknown, what: string, why: string): unknown {
  requireArgument(value !== undefined, `${what} is required (${why})`);
  return value;
}

/** Checks that `value` is a bigint in 0..U64_MAX and returns it. */
export function requireU64Param(value: unknown, what: string): bigint {
  return requireU64(value as bigint, what);
}

/** Checks that `value` is a bigint in 1..U64_MAX and returns it. */
export function requirePositiveU64Param(value: unknown, what: string): bigint {
  const amount = requireU64(value as bigint, what);
  requireArgument(amount > 0n, `${what} must be greater than zero`);
  return amount;
}

/** Checks that `value` is a positive safe integer (a plain number, not a bigint) and returns it. */
export function requirePositiveIntegerParam(value: unknown, what: string): number {
  requireArgument(
    typeof value === 'number' && Number.isSafeInteger(value) && value > 0,
    `${what} must be a positive safe integer, got ${typeof value === 'number' ? value : typeof value}`,
  );
  return value;
}

/**
 * Lowercase hex keccak-256 of the canonical JSON of `{ policyId, params }` (keys sorted recursively, bigints as
 * decimal strings). Pass resolved parameters (defaults filled in), as the policies do, so that spelling out a
 * default and leaving it out give the same hash. Key order never matters; any change of value does.
 */
export function policyParamsHash(policyId: PolicyId, params: object): string {
  requireArgument(typeof policyId === 'string' && policyId.length > 0, 'policyId must be a non-empty string');
  return toHex(keccak256(canonicalJson({ policyId, params })));
}
