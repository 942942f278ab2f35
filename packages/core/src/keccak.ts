import { keccak_256 } from '@noble/hashes/sha3.js';

const utf8 = new TextEncoder();

/** Keccak-256 (the original Keccak used by Ethereum and Solana, not NIST SHA3-256) of bytes or a UTF-8 string. */
export function keccak256(input: Uint8Array | string): Uint8Array {
  return keccak_256(typeof input === 'string' ? utf8.encode(input) : input);
}
