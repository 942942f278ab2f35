// One transaction through litesvm, turned into what the ledger records: the meta a Solana RPC node would keep
// (fee, balances, logs, inner instructions, return data) and the post-state of every writable account.
import { FailedTransactionMetadata, type TransactionMetadata } from 'litesvm';
import type { AccountKeys } from './account-keys.js';
import { capturePost, capturePre, type MintCache, restoreWritable, tokenBalances } from './account-state.js';
import { encodeAddress, encodeBase58 } from './base58.js';
import { messageFee } from './fees.js';
import type { AccountWrite, InnerInstructionsJson, TransactionRecord } from './ledger-record.js';
import { type RawSvm, sendRaw } from './raw-svm.js';
import { type TransactionErrorJson, transactionErrorJson } from './tx-error.js';
import type { WireTransaction } from './wire-transaction.js';

/** An execution that did not land (no fee charged, nothing recorded), as preflight would report it. */
export interface Rejection {
  err: TransactionErrorJson;
  logs: string[];
  unitsConsumed: number;
}

/** The outcome of executing one transaction. */
export type Execution =
  | { landed: true; transaction: TransactionRecord; writes: AccountWrite[] }
  | { landed: false; rejection: Rejection };

/** meta.innerInstructions in Solana's JSON shape (only instructions that made inner calls). */
export function innerInstructionsJson(meta: TransactionMetadata): InnerInstructionsJson[] {
  return meta.innerInstructions().flatMap((inner, index) =>
    inner.length === 0
      ? []
      : [
          {
            index,
            instructions: inner.map((entry) => {
              const instruction = entry.instruction();
              return {
                programIdIndex: instruction.programIdIndex(),
                accounts: Array.from(instruction.accounts()),
                data: encodeBase58(instruction.data()),
                stackHeight: entry.stackHeight(),
              };
            }),
          },
        ],
  );
}

/** meta.returnData, or null when the transaction set none. */
export function returnDataJson(meta: TransactionMetadata): TransactionRecord['returnData'] {
  const returnData = meta.returnData();
  const data = returnData.data();
  if (data.length === 0) return null;
  return { programId: encodeAddress(returnData.programId()), data: [Buffer.from(data).toString('base64'), 'base64'] };
}

/**
 * Executes `tx` (blockhash and duplicate checks are the caller's). A failed execution lands only if litesvm charged
 * its fee, as on Solana, where a transaction that fails before fee collection is dropped. With `preflight`, a failed
 * execution is undone instead (its writable accounts restored): one execution does what simulate-then-send would.
 */
export function execute(
  raw: RawSvm,
  tx: WireTransaction,
  keys: AccountKeys,
  signature: string,
  preflight: boolean,
): Execution {
  const mints: MintCache = new Map();
  const pre = capturePre(raw, keys, mints);
  const result = sendRaw(raw, tx.bytes, tx.version);
  const failed = result instanceof FailedTransactionMetadata;
  const meta = failed ? result.meta() : result;
  const payer = keys.bytes[0] as Uint8Array;
  if (failed && (preflight || (raw.getAccount(payer)?.lamports() ?? 0n) === pre.lamports[0])) {
    if (preflight) restoreWritable(raw, keys, pre);
    const rejection = {
      err: transactionErrorJson(result),
      logs: meta.logs(),
      unitsConsumed: Number(meta.computeUnitsConsumed()),
    };
    return { landed: false, rejection };
  }
  const { post, writes } = capturePost(raw, keys, pre, mints);
  const transaction: TransactionRecord = {
    signature,
    tx: Buffer.from(tx.bytes.buffer, tx.bytes.byteOffset, tx.bytes.byteLength).toString('base64'),
    keys: keys.addresses,
    loaded: keys.loaded,
    err: failed ? transactionErrorJson(result) : null,
    fee: Number(messageFee(tx)),
    computeUnits: Number(meta.computeUnitsConsumed()),
    logs: meta.logs(),
    preBalances: pre.lamports.map(Number),
    postBalances: post.lamports.map(Number),
    preTokenBalances: tokenBalances(pre),
    postTokenBalances: tokenBalances(post),
    innerInstructions: innerInstructionsJson(meta),
    returnData: returnDataJson(meta),
  };
  return { landed: true, transaction, writes };
}
