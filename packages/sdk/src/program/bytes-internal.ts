import { InvalidArgumentError, readU64LE, requireU64, toHex, writeU64LE } from '@attention-oracle/core';
import { PublicKey } from '@solana/web3.js';

// Byte-level helpers shared by the account, instruction and event codecs. Every reader checks what it reads, so a
// layout mismatch fails with a message naming the field instead of producing a plausible wrong value.

/** Throws unless `bytes` is a Uint8Array of exactly `length` bytes. */
export function requireBytes(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError(`${what} must be a Uint8Array`);
  if (bytes.length !== length) throw new InvalidArgumentError(`${what} must be ${length} bytes, got ${bytes.length}`);
  return bytes;
}

/** Throws unless `key` is a PublicKey. */
export function requirePublicKey(key: PublicKey, what: string): PublicKey {
  if (!(key instanceof PublicKey)) throw new InvalidArgumentError(`${what} must be a PublicKey`);
  return key;
}

/** Throws unless `value` is an integer in 0..255. */
export function requireU8(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new InvalidArgumentError(`${what} must be a u8 (0..255), got ${value}`);
  }
  return value;
}

/**
 * Checks the size and discriminator of Anchor data (an account or an event payload). These layouts are fixed-size,
 * so any other length means another type or another program version, and decoding it would misread every field.
 * `what` names the data, e.g. "ProtocolState account data".
 */
export function requireAnchorData(data: Uint8Array, what: string, size: number, discriminator: Uint8Array): void {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError(`${what} must be a Uint8Array`);
  if (data.length !== size) throw new InvalidArgumentError(`${what} must be ${size} bytes, got ${data.length}`);
  const found = data.subarray(0, 8);
  if (toHex(found) !== toHex(discriminator)) {
    throw new InvalidArgumentError(`${what} has discriminator ${toHex(found)}, expected ${toHex(discriminator)}`);
  }
}

/** Sequential writer over a fixed-size buffer. */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private offset = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  raw(bytes: Uint8Array): this {
    this.bytes.set(bytes, this.offset);
    this.offset += bytes.length;
    return this;
  }

  u8(value: number, what: string): this {
    this.bytes[this.offset] = requireU8(value, what);
    this.offset += 1;
    return this;
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0, 'bool');
  }

  u32(value: number): this {
    new DataView(this.bytes.buffer).setUint32(this.offset, value, true);
    this.offset += 4;
    return this;
  }

  u64(value: bigint, what: string): this {
    writeU64LE(this.bytes, this.offset, requireU64(value, what));
    this.offset += 8;
    return this;
  }

  publicKey(key: PublicKey, what: string): this {
    return this.raw(requirePublicKey(key, what).toBytes());
  }

  bytes32(bytes: Uint8Array, what: string): this {
    return this.raw(requireBytes(bytes, 32, what));
  }
}

/** Sequential reader over account or event data whose length has already been checked. */
export class ByteReader {
  private offset: number;

  constructor(
    private readonly data: Uint8Array,
    start = 8,
  ) {
    this.offset = start;
  }

  u8(): number {
    const value = this.data[this.offset];
    if (value === undefined) throw new InvalidArgumentError(`data ends before offset ${this.offset}`);
    this.offset += 1;
    return value;
  }

  /** Borsh bools are exactly 0 or 1; Anchor refuses to deserialize anything else, and so do we. */
  bool(what: string): boolean {
    const value = this.u8();
    if (value > 1) throw new InvalidArgumentError(`${what} must be a bool (0 or 1), got ${value}`);
    return value === 1;
  }

  u64(): bigint {
    const value = readU64LE(this.data, this.offset);
    this.offset += 8;
    return value;
  }

  bytes32(): Uint8Array {
    const value = this.data.slice(this.offset, this.offset + 32);
    this.offset += 32;
    return value;
  }

  publicKey(): PublicKey {
    return new PublicKey(this.bytes32());
  }
}
