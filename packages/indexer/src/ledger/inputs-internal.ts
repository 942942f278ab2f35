// Checks of caller input to the ledger functions: each bad value gets an InvalidArgumentError that names it.
import { InvalidArgumentError, toHex, U64_MAX } from '@attention-oracle/core';

const INT8_MAX = (1n << 63n) - 1n;
const USER_ID = /^[1-9][0-9]{0,18}$/;
const LEGACY_VIEWER = /^legacy:[0-9a-f]{64}$/;

/**
 * A Twitch user id as a bigint in 1..2^63-1 (what the database's bigint holds).
 *
 * @example requireUserId(123n)
 */
export function requireUserId(userId: bigint): bigint {
  if (typeof userId !== 'bigint' || userId < 1n || userId > INT8_MAX) {
    throw new InvalidArgumentError(`user id must be a positive bigint below 2^63, got ${String(userId)}`);
  }
  return userId;
}

/**
 * 32 bytes, as a wallet address or a login hash is.
 *
 * @example requireBytes32(wallet, 'wallet')
 */
export function requireBytes32(value: Uint8Array, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 32) {
    const got = value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
    throw new InvalidArgumentError(`${what} must be 32 bytes, got ${got}`);
  }
  return value;
}

/**
 * Who did it, for the audit log: 1-200 characters.
 *
 * @example requireActor('cli:alice')
 */
export function requireActor(actor: string): string {
  if (typeof actor !== 'string' || actor.trim().length === 0 || actor.length > 200) {
    throw new InvalidArgumentError(`actor must be 1-200 characters naming who acts, got ${JSON.stringify(actor)}`);
  }
  return actor;
}

/**
 * A positive amount of base units that fits a u64.
 *
 * @example requireAmount(5n, 'correction amount')
 */
export function requireAmount(amount: bigint, what: string): bigint {
  if (typeof amount !== 'bigint' || amount < 1n || amount > U64_MAX) {
    throw new InvalidArgumentError(`${what} must be a bigint from 1 to 2^64-1, got ${String(amount)}`);
  }
  return amount;
}

/** A ledger viewer: a decimal Twitch user id, or `legacy:<login hash hex>` for one known only to older systems. */
export type Viewer = { readonly viewer: string; readonly userId: bigint } | { readonly viewer: string; userId: null };

/**
 * Parses a viewer key as allocations, corrections and wallet_credits store it.
 *
 * @example parseViewer('123') // { viewer: '123', userId: 123n }
 */
export function parseViewer(viewer: string): Viewer {
  if (typeof viewer === 'string' && USER_ID.test(viewer) && BigInt(viewer) <= INT8_MAX) {
    return { viewer, userId: BigInt(viewer) };
  }
  if (typeof viewer === 'string' && LEGACY_VIEWER.test(viewer)) return { viewer, userId: null };
  throw new InvalidArgumentError(
    `viewer must be a decimal Twitch user id or legacy:<64 lowercase hex>, got ${JSON.stringify(String(viewer).slice(0, 80))}`,
  );
}

/**
 * The viewer key of a legacy login hash.
 *
 * @example legacyViewer(legacyLoginKey('zowzrd')) // 'legacy:3d69...'
 */
export function legacyViewer(loginHash: Uint8Array): string {
  return `legacy:${toHex(requireBytes32(loginHash, 'login hash'))}`;
}
