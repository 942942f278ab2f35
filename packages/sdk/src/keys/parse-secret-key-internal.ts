import { base58Decode } from '@attention-oracle/core';

/** Bytes of a Solana keypair: a 32-byte ed25519 seed, then the 32-byte public key. */
export const KEYPAIR_BYTES = 64;

/** The 64 keypair bytes, or what is wrong with the text (phrased to follow "the key from <source>"). */
export type ParsedSecretKey = { ok: true; bytes: Uint8Array } | { ok: false; problem: string };

// Every problem text here is built from lengths and shapes only: a partial key in a log is still a leak.
function fromNumbers(value: unknown): ParsedSecretKey {
  if (!Array.isArray(value)) return { ok: false, problem: 'is JSON but not an array of 64 numbers' };
  if (value.length !== KEYPAIR_BYTES) {
    return { ok: false, problem: `has ${value.length} numbers where a keypair has ${KEYPAIR_BYTES}` };
  }
  if (!value.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
    return { ok: false, problem: 'holds an entry that is not an integer from 0 to 255' };
  }
  return { ok: true, bytes: Uint8Array.from(value as number[]) };
}

/**
 * Reads a keypair written as a JSON array of 64 numbers (what `solana-keygen` writes), or, when `allowBase58`, as
 * base58 of the 64 bytes (what wallets export).
 */
export function parseSecretKey(text: string, allowBase58: boolean): ParsedSecretKey {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, problem: 'is empty' };
  if (trimmed.startsWith('[') || !allowBase58) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      const expected = allowBase58 ? 'a JSON array of 64 numbers or base58' : 'a JSON array of 64 numbers';
      return { ok: false, problem: `is not valid JSON (expected ${expected})` };
    }
    return fromNumbers(value);
  }
  let bytes: Uint8Array;
  try {
    bytes = base58Decode(trimmed);
  } catch {
    return { ok: false, problem: 'is neither a JSON array of 64 numbers nor valid base58' };
  }
  if (bytes.length !== KEYPAIR_BYTES) {
    bytes.fill(0);
    return { ok: false, problem: `decodes from base58 to ${bytes.length} bytes where a keypair has ${KEYPAIR_BYTES}` };
  }
  return { ok: true, bytes };
}
