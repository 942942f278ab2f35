// Column types shared by the tables.
import { customType, numeric } from 'drizzle-orm/pg-core';

/** Raw bytes (hashes, wallets). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value),
});

/** A token amount in base units: a u64 does not fit PostgreSQL's signed bigint, so numeric(20,0), read as bigint. */
export const amount = (name: string) => numeric(name, { precision: 20, scale: 0, mode: 'bigint' });
