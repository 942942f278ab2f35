import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

// DER prefix of a PKCS#8 ed25519 private key (RFC 8410), followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
const SPKI_PUBLIC_KEY_OFFSET = 12;

/** The raw 32-byte public key of an ed25519 key. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return Uint8Array.from(spki.subarray(SPKI_PUBLIC_KEY_OFFSET));
}

/**
 * An opaque private key from the 64 keypair bytes, or undefined when the public half does not belong to the seed
 * (a corrupted file, or not a Solana keypair). The key lives in a KeyObject, which neither inspection nor JSON can
 * read, and the temporary DER copy is wiped.
 */
export function privateKeyFromKeypair(keypair: Uint8Array): KeyObject | undefined {
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(keypair.subarray(0, 32), PKCS8_ED25519_PREFIX.length);
  try {
    const key = createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' });
    const expected = keypair.subarray(32, 64);
    const actual = rawPublicKey(key);
    return actual.every((byte, i) => byte === expected[i]) ? key : undefined;
  } finally {
    der.fill(0);
  }
}
