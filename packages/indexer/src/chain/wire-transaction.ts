// The Solana transaction wire format (legacy and v0), parsed without copying: the ledger needs the signatures, the
// account list with writability, the blockhash and the instructions before and after handing the bytes to litesvm.

/** Solana's packet limit for one serialized transaction. */
export const MAX_TRANSACTION_BYTES = 1232;

/** A transaction the wire format cannot describe. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

/** One compiled instruction: indices into the full account list (static keys, then loaded addresses). */
export interface WireInstruction {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

/** A v0 address-table lookup. */
export interface WireLookup {
  accountKey: Uint8Array;
  writableIndexes: number[];
  readonlyIndexes: number[];
}

/** A parsed transaction; every byte array is a view into `bytes`. */
export interface WireTransaction {
  bytes: Uint8Array;
  signatures: Uint8Array[];
  message: Uint8Array;
  version: 'legacy' | 0;
  numRequiredSignatures: number;
  numReadonlySigned: number;
  numReadonlyUnsigned: number;
  staticKeys: Uint8Array[];
  recentBlockhash: Uint8Array;
  instructions: WireInstruction[];
  lookups: WireLookup[];
}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  u8(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new WireFormatError('transaction ends early');
    this.offset += 1;
    return value;
  }
  /** Solana's compact-u16 length prefix. */
  shortVec(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = this.u8();
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new WireFormatError('bad compact-u16 length');
  }
  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new WireFormatError('transaction ends early');
    const view = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return view;
  }
  list<T>(item: () => T): T[] {
    const count = this.shortVec();
    return Array.from({ length: count }, item);
  }
  get done(): boolean {
    return this.offset === this.bytes.length;
  }
}

/** A message without its signatures (what getFeeForMessage receives). */
export type WireMessage = Omit<WireTransaction, 'bytes' | 'signatures' | 'message'>;

function readMessage(reader: Reader): WireMessage {
  const first = reader.u8();
  let version: 'legacy' | 0 = 'legacy';
  let numRequiredSignatures = first;
  if (first & 0x80) {
    if ((first & 0x7f) !== 0) throw new WireFormatError(`unsupported transaction version ${first & 0x7f}`);
    version = 0;
    numRequiredSignatures = reader.u8();
  }
  const numReadonlySigned = reader.u8();
  const numReadonlyUnsigned = reader.u8();
  const staticKeys = reader.list(() => reader.take(32));
  const recentBlockhash = reader.take(32);
  const instructions = reader.list(() => ({
    programIdIndex: reader.u8(),
    accounts: reader.list(() => reader.u8()),
    data: reader.take(reader.shortVec()),
  }));
  const lookups =
    version === 0
      ? reader.list(() => ({
          accountKey: reader.take(32),
          writableIndexes: reader.list(() => reader.u8()),
          readonlyIndexes: reader.list(() => reader.u8()),
        }))
      : [];
  if (!reader.done) throw new WireFormatError('trailing bytes after the message');
  return {
    version,
    numRequiredSignatures,
    numReadonlySigned,
    numReadonlyUnsigned,
    staticKeys,
    recentBlockhash,
    instructions,
    lookups,
  };
}

/** Parses a serialized message (no signatures); throws WireFormatError when it is malformed. */
export function parseWireMessage(bytes: Uint8Array): WireMessage {
  return readMessage(new Reader(bytes));
}

/** Parses a serialized transaction; throws WireFormatError when it is malformed or too large. */
export function parseWireTransaction(bytes: Uint8Array): WireTransaction {
  if (bytes.length > MAX_TRANSACTION_BYTES) {
    throw new WireFormatError(`transaction too large: ${bytes.length} bytes (max: ${MAX_TRANSACTION_BYTES})`);
  }
  const reader = new Reader(bytes);
  const signatures = reader.list(() => reader.take(64));
  if (signatures.length === 0) throw new WireFormatError('transaction has no signatures');
  const messageStart = reader.offset;
  const message = readMessage(reader);
  return { bytes, signatures, message: bytes.subarray(messageStart), ...message };
}

/** Whether static key `index` is writable per the message header (programs are not demoted here; harmless). */
export function isStaticWritable(tx: WireMessage, index: number): boolean {
  if (index < tx.numRequiredSignatures) return index < tx.numRequiredSignatures - tx.numReadonlySigned;
  return index < tx.staticKeys.length - tx.numReadonlyUnsigned;
}

/** Whether `tx` starts with System AdvanceNonceAccount (its blockhash is then a stored nonce, not a recent one). */
export function usesDurableNonce(tx: WireMessage): boolean {
  const first = tx.instructions[0];
  const program = first ? tx.staticKeys[first.programIdIndex] : undefined;
  if (!first || !program?.every((byte) => byte === 0)) return false;
  return first.data.length === 4 && first.data[0] === 4 && first.data[1] === 0;
}
