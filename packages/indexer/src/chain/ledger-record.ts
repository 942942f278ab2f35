// The journal's record: one per ledger change. Recovery needs only `writes` (the post-state of every account the
// change could touch, applied with setAccount, so replay never re-executes anything); the rest is the transaction's
// history as getTransaction and getSignaturesForAddress serve it.

import type { UiTokenAmount } from './token-account.js';
import type { TransactionErrorJson } from './tx-error.js';

/** An account's full state after a change; `lamports` "0" means the account no longer exists. */
export interface AccountWrite {
  address: string;
  lamports: string;
  owner: string;
  executable: boolean;
  /** Base64. */
  data: string;
}

/** One entry of meta.preTokenBalances / postTokenBalances. */
export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: UiTokenAmount;
}

/** One entry of meta.innerInstructions. */
export interface InnerInstructionsJson {
  index: number;
  instructions: { programIdIndex: number; accounts: number[]; data: string; stackHeight: number }[];
}

/** A landed transaction's history (absent on state records). */
export interface TransactionRecord {
  signature: string;
  /** The serialized transaction, base64. */
  tx: string;
  /** Every account key: static keys, then loaded writable, then loaded readonly. */
  keys: string[];
  loaded: { writable: string[]; readonly: string[] };
  err: TransactionErrorJson | null;
  fee: number;
  computeUnits: number;
  logs: string[];
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  innerInstructions: InnerInstructionsJson[];
  returnData: { programId: string; data: [string, 'base64'] } | null;
}

/** A journal record. */
export interface LedgerRecord {
  seq: number;
  slot: number;
  timeMs: number;
  writes: AccountWrite[];
  /** Set for landed transactions; state records (genesis funding, programs added) have none. */
  transaction?: TransactionRecord;
  /** Why a state record was written. */
  note?: string;
}

/** Encodes a record for the journal. */
export function encodeRecord(record: LedgerRecord): Buffer {
  return Buffer.from(JSON.stringify(record), 'utf8');
}

/** Decodes a journal payload. */
export function decodeRecord(payload: Buffer): LedgerRecord {
  return JSON.parse(payload.toString('utf8')) as LedgerRecord;
}
