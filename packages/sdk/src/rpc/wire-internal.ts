import { base58Encode } from '@attention-oracle/core';

const SIGNATURE_BYTES = 64;

/** Standard base64 of `bytes`, without Node's Buffer so the main entry stays browser-safe. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked: String.fromCharCode with one argument per byte overflows the stack on large inputs.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The transaction's id: base58 of its first signature, read from the wire format (a compact-u16 signature count,
 * then 64-byte signatures), which is the same for legacy and versioned transactions. Throws when that signature is
 * empty, because the caller must sign before sending.
 */
export function firstSignature(wire: Uint8Array): string {
  let count = 0;
  let offset = 0;
  for (let shift = 0; shift < 21; shift += 7) {
    const byte = wire[offset++];
    if (byte === undefined) throw new TypeError('transaction bytes end inside the signature count');
    count |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
  }
  const signature = wire.subarray(offset, offset + SIGNATURE_BYTES);
  if (count === 0 || signature.length !== SIGNATURE_BYTES) throw new TypeError('transaction bytes hold no signature');
  if (signature.every((byte) => byte === 0)) {
    throw new TypeError('the transaction is not signed: sign it before sending (sendAndConfirm never signs)');
  }
  return base58Encode(signature);
}
