// A transaction's full account list: static keys, then addresses loaded from lookup tables (writable ones first),
// with writability, as the runtime orders them. Loaded addresses are read from the tables before execution.
import { encodeAddress } from './base58.js';
import type { RawSvm } from './raw-svm.js';
import type { TransactionErrorJson } from './tx-error.js';
import { isStaticWritable, type WireMessage } from './wire-transaction.js';

const LOOKUP_TABLE_PROGRAM = 'AddressLookupTab1e1111111111111111111111111';
const LOOKUP_TABLE_META_SIZE = 56;

/** Every account a transaction references. */
export interface AccountKeys {
  bytes: Uint8Array[];
  addresses: string[];
  writable: boolean[];
  loaded: { writable: string[]; readonly: string[] };
}

/** Resolves the account list, or returns the error the runtime would reject the transaction with. */
export function resolveAccountKeys(raw: RawSvm, message: WireMessage): AccountKeys | { error: TransactionErrorJson } {
  const bytes = [...message.staticKeys];
  const writable = message.staticKeys.map((_, index) => isStaticWritable(message, index));
  const loadedWritable: Uint8Array[] = [];
  const loadedReadonly: Uint8Array[] = [];
  for (const lookup of message.lookups) {
    const table = raw.getAccount(lookup.accountKey);
    if (!table || table.lamports() === 0n) return { error: 'AddressLookupTableNotFound' };
    if (encodeAddress(table.owner()) !== LOOKUP_TABLE_PROGRAM) return { error: 'InvalidAddressLookupTableOwner' };
    const data = table.data();
    const count = Math.floor((data.length - LOOKUP_TABLE_META_SIZE) / 32);
    const pick = (index: number) =>
      data.subarray(LOOKUP_TABLE_META_SIZE + index * 32, LOOKUP_TABLE_META_SIZE + index * 32 + 32);
    for (const index of [...lookup.writableIndexes, ...lookup.readonlyIndexes]) {
      if (index >= count) return { error: 'InvalidAddressLookupTableIndex' };
    }
    loadedWritable.push(...lookup.writableIndexes.map(pick));
    loadedReadonly.push(...lookup.readonlyIndexes.map(pick));
  }
  bytes.push(...loadedWritable, ...loadedReadonly);
  writable.push(...loadedWritable.map(() => true), ...loadedReadonly.map(() => false));
  return {
    bytes,
    addresses: bytes.map(encodeAddress),
    writable,
    loaded: { writable: loadedWritable.map(encodeAddress), readonly: loadedReadonly.map(encodeAddress) },
  };
}
