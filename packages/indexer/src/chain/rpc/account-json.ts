// Accounts in Solana's JSON shape. Without an encoding Solana answers in the legacy "binary" form (a bare base58
// string); jsonParsed falls back to base64 as Solana does for accounts it cannot parse (this chain parses none).
import type { AccountView } from '../account-state.js';
import { encodeBase58 } from '../base58.js';
import { invalidParams, u64Json } from './json-rpc.js';
import { integer } from './params.js';

const U64_MAX = 18_446_744_073_709_551_615n;
const BASE58_LIMIT = 128;

/** How to encode account data, from a request's config. */
export interface AccountEncoding {
  encoding: string;
  slice?: { offset: number; length: number };
}

/** Reads `encoding` and `dataSlice` from a config object; rejects encodings this chain cannot produce. */
export function accountEncoding(config: Record<string, unknown>): AccountEncoding {
  const encoding = config.encoding ?? 'binary';
  if (typeof encoding !== 'string' || !['binary', 'base58', 'base64', 'jsonParsed'].includes(encoding)) {
    throw invalidParams(`Invalid params: unsupported account encoding ${String(encoding)} (use base64)`);
  }
  const slice = config.dataSlice as { offset?: unknown; length?: unknown } | undefined;
  if (slice === undefined || slice === null) return { encoding };
  return {
    encoding,
    slice: { offset: integer(slice.offset, 'dataSlice.offset'), length: integer(slice.length, 'dataSlice.length') },
  };
}

/** An account (or null) in the shape getAccountInfo returns. */
export function accountJson(account: AccountView | null, { encoding, slice }: AccountEncoding) {
  if (!account) return null;
  const data = slice ? account.data.subarray(slice.offset, slice.offset + slice.length) : account.data;
  let encoded: string | [string, string];
  if (encoding === 'binary' || encoding === 'base58') {
    if (data.length > BASE58_LIMIT) {
      throw invalidParams('Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.');
    }
    encoded = encoding === 'binary' ? encodeBase58(data) : [encodeBase58(data), 'base58'];
  } else {
    encoded = [Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'), 'base64'];
  }
  return {
    data: encoded,
    executable: account.executable,
    lamports: u64Json(account.lamports),
    owner: account.owner,
    rentEpoch: U64_MAX,
    space: account.data.length,
  };
}
