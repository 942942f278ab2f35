// Small encoders shared by the routers.

/**
 * Lowercase hex of `bytes`.
 *
 * @example hex(new Uint8Array([1, 255])) === '01ff'
 */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
