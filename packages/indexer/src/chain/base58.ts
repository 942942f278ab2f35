// Base58 for addresses, signatures and blockhashes: core's grouped codec (it runs for every signature and every new
// address of every transaction), with address encodings cached because the same programs, mints and payers recur.
import { base58Decode, base58Encode } from '@attention-oracle/core';

const cache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

/** Base58 text of any bytes (signatures, blockhashes, instruction data). */
export const encodeBase58 = base58Encode;

/** Bytes of base58 text; throws on characters outside the alphabet. */
export const decodeBase58 = (text: string): Uint8Array => base58Decode(text);

/** Base58 of a 32-byte address, cached. */
export function encodeAddress(bytes: Uint8Array): string {
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let text = cache.get(key);
  if (text === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    text = encodeBase58(bytes);
    cache.set(key, text);
  }
  return text;
}

/** Bytes of a base58 address, or undefined when it is not exactly 32 bytes of valid base58. */
export function decodeAddress(text: string): Uint8Array | undefined {
  if (text.length < 32 || text.length > 44) return undefined;
  try {
    const bytes = decodeBase58(text);
    return bytes.length === 32 ? bytes : undefined;
  } catch {
    return undefined;
  }
}
