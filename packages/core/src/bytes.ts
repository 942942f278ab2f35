import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { InvalidArgumentError, requireArgument } from './errors.js';

/** The largest value an on-chain u64 can hold. */
export const U64_MAX = (1n << 64n) - 1n;

const HEX = /^(0x)?([0-9a-fA-F]{2})*$/;

/** Lowercase hex of `bytes`, without a 0x prefix. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** Bytes of a hex string (an optional 0x prefix, an even number of hex digits). */
export function fromHex(hex: string, expectedLength?: number): Uint8Array {
  requireArgument(HEX.test(hex), `not a hex string: ${JSON.stringify(hex.slice(0, 80))}`);
  const bytes = hexToBytes(hex.startsWith('0x') ? hex.slice(2) : hex);
  if (expectedLength !== undefined && bytes.length !== expectedLength) {
    throw new InvalidArgumentError(`expected ${expectedLength} bytes of hex, got ${bytes.length}`);
  }
  return bytes;
}

/** Bytewise comparison: negative, zero or positive, like a sort comparator. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when both arrays hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** Concatenation of byte arrays into one new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Checks that `value` is an integer in [0, 2^64) and returns it. `what` names it in the error. */
export function requireU64(value: bigint, what: string): bigint {
  if (typeof value !== 'bigint') throw new InvalidArgumentError(`${what} must be a bigint, got ${typeof value}`);
  if (value < 0n || value > U64_MAX) throw new InvalidArgumentError(`${what} must be a u64 (0..2^64-1), got ${value}`);
  return value;
}

/** Writes `value` as a little-endian u64 at `offset`. */
export function writeU64LE(target: Uint8Array, offset: number, value: bigint): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setBigUint64(offset, value, true);
}

/** Reads a little-endian u64 at `offset`. */
export function readU64LE(source: Uint8Array, offset: number): bigint {
  return new DataView(source.buffer, source.byteOffset, source.byteLength).getBigUint64(offset, true);
}

/** Checks that `bytes` is a Uint8Array of exactly `length` bytes. */
export function requireBytes(bytes: Uint8Array, length: number, what: string): Uint8Array {
  requireArgument(bytes instanceof Uint8Array, `${what} must be a Uint8Array`);
  requireArgument(bytes.length === length, `${what} must be ${length} bytes, got ${bytes.length}`);
  return bytes;
}
