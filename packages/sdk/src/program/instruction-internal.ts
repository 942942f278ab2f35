import { InvalidArgumentError, MAX_PROOF_LENGTH } from '@attention-oracle/core';
import type { AccountMeta, PublicKey } from '@solana/web3.js';
import { type ByteWriter, requireBytes } from './bytes-internal.js';

/** An account meta; positional flags read badly in the account tables, so they are named here. */
export function account(pubkey: PublicKey, flags: { signer?: boolean; writable?: boolean } = {}): AccountMeta {
  return { pubkey, isSigner: flags.signer ?? false, isWritable: flags.writable ?? false };
}

/**
 * web3.js v1 types instruction data as a Buffer. This views the bytes without copying; it needs the `Buffer` global
 * that Node has and that browser apps using web3.js v1 already provide (as @solana/spl-token requires too).
 */
export function instructionData(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Checks a proof: at most 32 siblings (the program's limit), each 32 bytes. */
export function requireProof(proof: readonly Uint8Array[]): readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw new InvalidArgumentError('proof must be an array of 32-byte siblings');
  if (proof.length > MAX_PROOF_LENGTH) {
    throw new InvalidArgumentError(
      `proof has ${proof.length} siblings; the program accepts at most ${MAX_PROOF_LENGTH} (InvalidProofLength)`,
    );
  }
  for (const [i, sibling] of proof.entries()) requireBytes(sibling, 32, `proof[${i}]`);
  return proof;
}

/** Writes a Borsh `Vec<[u8; 32]>`: a u32le count, then the siblings. */
export function writeProof(writer: ByteWriter, proof: readonly Uint8Array[]): ByteWriter {
  writer.u32(proof.length);
  for (const sibling of proof) writer.raw(sibling);
  return writer;
}

/** Bytes a Borsh proof takes. */
export function proofSize(proof: readonly Uint8Array[]): number {
  return 4 + 32 * proof.length;
}
