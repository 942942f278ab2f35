// Writing methods: sendTransaction, simulateTransaction, requestAirdrop. Errors follow Solana: a preflight failure is
// -32002 "Transaction simulation failed: ..." with the simulation (logs included) as data, a bad signature -32003.

import type { Rejection } from '../execute.js';
import type { SendResult } from '../ledger.js';
import { describeTransactionError } from '../tx-error.js';
import { WireFormatError } from '../wire-transaction.js';
import { accountEncoding, accountJson } from './account-json.js';
import { invalidParams, RpcCode, RpcError } from './json-rpc.js';
import {
  addressAt,
  checkMinContextSlot,
  configAt,
  decodePayload,
  optionalString,
  type RpcMethod,
  rpcContext,
  stringAt,
} from './params.js';

/** Runs `action`, turning a malformed transaction into Solana's invalid-params error. */
function parsing<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof WireFormatError) throw invalidParams(`invalid transaction: ${error.message}`);
    throw error;
  }
}

function preflightError(rejection: Rejection): RpcError {
  if (rejection.err === 'SignatureFailure') {
    return new RpcError(RpcCode.signatureVerificationFailure, 'Transaction signature verification failure');
  }
  if (rejection.err === 'SanitizeFailure')
    return invalidParams(`invalid transaction: ${describeTransactionError(rejection.err)}`);
  return new RpcError(
    RpcCode.preflightFailure,
    `Transaction simulation failed: ${describeTransactionError(rejection.err)}`,
    {
      accounts: null,
      err: rejection.err,
      innerInstructions: null,
      loadedAccountsDataSize: 0,
      logs: rejection.logs,
      replacementBlockhash: null,
      returnData: null,
      unitsConsumed: rejection.unitsConsumed,
    },
  );
}

/** The signature to answer with, or the error Solana would give, for a send's outcome. */
function answer(result: SendResult, skipPreflight: boolean): string {
  if (result.status === 'landed') return result.signature;
  if (result.status === 'duplicate') {
    if (skipPreflight) return result.signature;
    throw preflightError({ err: 'AlreadyProcessed', logs: [], unitsConsumed: 0 });
  }
  // Signature and sanitize checks happen before forwarding on Solana, so they fail even with skipPreflight; any
  // other rejection without preflight is a transaction the cluster drops after accepting it.
  const { err } = result.rejection;
  if (skipPreflight && err !== 'SignatureFailure' && err !== 'SanitizeFailure') return result.signature;
  throw preflightError(result.rejection);
}

const sendTransaction: RpcMethod = (params, { ledger }) => {
  const config = configAt(params, 1);
  checkMinContextSlot(config, ledger.slot);
  const bytes = decodePayload(stringAt(params, 0, 'transaction'), optionalString(config, 'encoding'), 'transaction');
  const skipPreflight = config.skipPreflight === true;
  return answer(
    parsing(() => ledger.sendTransaction(bytes, { skipPreflight })),
    skipPreflight,
  );
};

const simulateTransaction: RpcMethod = (params, { ledger }) => {
  const config = configAt(params, 1);
  checkMinContextSlot(config, ledger.slot);
  const bytes = decodePayload(stringAt(params, 0, 'transaction'), optionalString(config, 'encoding'), 'transaction');
  const sigVerify = config.sigVerify === true;
  const replaceRecentBlockhash = config.replaceRecentBlockhash === true;
  if (sigVerify && replaceRecentBlockhash) throw invalidParams('sigVerify may not be used with replaceRecentBlockhash');
  const accountsConfig = config.accounts as { addresses?: unknown; encoding?: unknown } | undefined;
  const addresses = accountsConfig?.addresses;
  if (addresses !== undefined && (!Array.isArray(addresses) || addresses.some((item) => typeof item !== 'string'))) {
    throw invalidParams('Invalid params: accounts.addresses must be an array of addresses');
  }
  const encoding = accountEncoding({ encoding: accountsConfig?.encoding ?? 'base64' });
  const result = parsing(() =>
    ledger.simulateTransaction(bytes, {
      sigVerify,
      replaceRecentBlockhash,
      accounts: addresses as string[] | undefined,
    }),
  );
  if (sigVerify && result.err === 'SignatureFailure')
    throw preflightError({ err: result.err, logs: [], unitsConsumed: 0 });
  return {
    context: rpcContext(ledger.slot),
    value: {
      err: result.err,
      logs: result.logs,
      accounts: result.accounts ? result.accounts.map((account) => accountJson(account, encoding)) : null,
      unitsConsumed: result.unitsConsumed,
      returnData: result.returnData,
      innerInstructions: config.innerInstructions === true ? result.innerInstructions : null,
      replacementBlockhash: result.replacementBlockhash ?? null,
      loadedAccountsDataSize: 0,
    },
  };
};

const requestAirdrop: RpcMethod = (params, { ledger }) => {
  const address = addressAt(params, 0);
  const lamports = params[1];
  if (typeof lamports !== 'number' || !Number.isSafeInteger(lamports) || lamports <= 0) {
    throw invalidParams('Invalid params: lamports must be a positive integer');
  }
  let result: SendResult;
  try {
    result = ledger.requestAirdrop(address, BigInt(lamports));
  } catch (error) {
    if (error instanceof RangeError) throw invalidParams(error.message);
    throw error;
  }
  if (result.status === 'rejected') {
    throw new RpcError(RpcCode.internalError, `airdrop failed: ${describeTransactionError(result.rejection.err)}`);
  }
  return result.signature;
};

/** The transaction-submitting methods by name. */
export const sendMethods: Record<string, RpcMethod> = { sendTransaction, simulateTransaction, requestAirdrop };
