// getTransaction's answer, built from the journal record: the transaction (json, base64 or base58) and its meta in
// the shape Solana's RPC returns, `version` only when the client said which versions it supports.
import { encodeAddress, encodeBase58 } from '../base58.js';
import type { StoredTransaction } from '../ledger-writer.js';
import { parseWireTransaction, type WireTransaction } from '../wire-transaction.js';
import { invalidParams, RpcCode, RpcError } from './json-rpc.js';

function messageJson(tx: WireTransaction) {
  const message = {
    header: {
      numRequiredSignatures: tx.numRequiredSignatures,
      numReadonlySignedAccounts: tx.numReadonlySigned,
      numReadonlyUnsignedAccounts: tx.numReadonlyUnsigned,
    },
    accountKeys: tx.staticKeys.map(encodeAddress),
    recentBlockhash: encodeAddress(tx.recentBlockhash),
    instructions: tx.instructions.map((instruction) => ({
      programIdIndex: instruction.programIdIndex,
      accounts: instruction.accounts,
      data: encodeBase58(instruction.data),
      stackHeight: null,
    })),
    ...(tx.version === 0
      ? {
          addressTableLookups: tx.lookups.map((lookup) => ({
            accountKey: encodeAddress(lookup.accountKey),
            writableIndexes: lookup.writableIndexes,
            readonlyIndexes: lookup.readonlyIndexes,
          })),
        }
      : {}),
  };
  return { signatures: tx.signatures.map(encodeBase58), message };
}

/** The getTransaction result for a stored transaction. */
export function transactionJson(stored: StoredTransaction, encoding: string, maxSupportedVersion: number | undefined) {
  const { record } = stored;
  const tx = record.transaction;
  const bytes = new Uint8Array(Buffer.from(tx.tx, 'base64'));
  const parsed = parseWireTransaction(bytes);
  const version = parsed.version;
  if (version === 0 && maxSupportedVersion === undefined) {
    throw new RpcError(
      RpcCode.unsupportedTransactionVersion,
      'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
    );
  }
  let transaction: unknown;
  if (encoding === 'json') transaction = messageJson(parsed);
  else if (encoding === 'base64') transaction = [tx.tx, 'base64'];
  else if (encoding === 'base58') transaction = [encodeBase58(bytes), 'base58'];
  else throw invalidParams(`Invalid params: unsupported transaction encoding ${encoding} (json, base64, base58)`);
  const meta = {
    err: tx.err,
    status: tx.err === null ? { Ok: null } : { Err: tx.err },
    fee: tx.fee,
    preBalances: tx.preBalances,
    postBalances: tx.postBalances,
    innerInstructions: tx.innerInstructions,
    logMessages: tx.logs,
    preTokenBalances: tx.preTokenBalances,
    postTokenBalances: tx.postTokenBalances,
    rewards: [],
    loadedAddresses: tx.loaded,
    computeUnitsConsumed: tx.computeUnits,
    ...(tx.returnData ? { returnData: tx.returnData } : {}),
  };
  return {
    slot: record.slot,
    blockTime: Math.floor(record.timeMs / 1000),
    transaction,
    meta,
    ...(maxSupportedVersion === undefined ? {} : { version }),
  };
}
