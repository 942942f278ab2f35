// Reading what landed: getSignatureStatuses, getTransaction, getSignaturesForAddress, getFeeForMessage. Every landed
// transaction is durable before it is visible, so every status is 'finalized'.
import { encodeAddress } from '../base58.js';
import { messageFee } from '../fees.js';
import { parseWireMessage, WireFormatError } from '../wire-transaction.js';
import { invalidParams, u64Json } from './json-rpc.js';
import {
  addressAt,
  checkMinContextSlot,
  configAt,
  decodePayload,
  integer,
  optionalString,
  type RpcMethod,
  rpcContext,
  stringAt,
} from './params.js';
import { transactionJson } from './transaction-json.js';

const MAX_STATUSES = 256;

const getSignatureStatuses: RpcMethod = (params, { ledger }) => {
  const signatures = params[0];
  if (!Array.isArray(signatures) || signatures.some((item) => typeof item !== 'string')) {
    throw invalidParams('Invalid params: expected an array of signatures');
  }
  if (signatures.length > MAX_STATUSES) throw invalidParams(`Too many inputs provided; max ${MAX_STATUSES}`);
  const value = (signatures as string[]).map((signature) => {
    const entry = ledger.signatureStatus(signature);
    if (!entry) return null;
    const status = entry.err === null ? { Ok: null } : { Err: entry.err };
    return { slot: entry.slot, confirmations: null, err: entry.err, status, confirmationStatus: 'finalized' };
  });
  return { context: rpcContext(ledger.slot), value };
};

const getTransaction: RpcMethod = (params, { ledger }) => {
  const signature = stringAt(params, 0, 'signature');
  const config = typeof params[1] === 'string' ? { encoding: params[1] } : configAt(params, 1);
  const encoding = optionalString(config, 'encoding') ?? 'json';
  const max = config.maxSupportedTransactionVersion;
  const maxSupportedVersion =
    max === undefined || max === null ? undefined : integer(max, 'maxSupportedTransactionVersion', 0);
  const stored = ledger.getTransaction(signature);
  return stored ? transactionJson(stored, encoding, maxSupportedVersion) : null;
};

const getSignaturesForAddress: RpcMethod = (params, { ledger }) => {
  const address = addressAt(params, 0);
  const config = configAt(params, 1);
  checkMinContextSlot(config, ledger.slot);
  const limit = config.limit === undefined || config.limit === null ? 1000 : integer(config.limit, 'limit', 1000);
  if (limit < 1) throw invalidParams('Invalid params: limit must be between 1 and 1000');
  const before = optionalString(config, 'before');
  const until = optionalString(config, 'until');
  return ledger.signaturesForAddress(address, { limit, before, until }).map((entry) => ({
    signature: entry.signature,
    slot: entry.slot,
    err: entry.err,
    memo: null,
    blockTime: Math.floor(entry.timeMs / 1000),
    confirmationStatus: 'finalized',
  }));
};

const getFeeForMessage: RpcMethod = (params, { ledger }) => {
  const config = configAt(params, 1);
  const bytes = decodePayload(stringAt(params, 0, 'message'), 'base64', 'message');
  let fee: bigint | null;
  try {
    const message = parseWireMessage(bytes);
    fee = ledger.isBlockhashValid(encodeAddress(message.recentBlockhash)) ? messageFee(message) : null;
  } catch (error) {
    if (error instanceof WireFormatError) throw invalidParams(`invalid message: ${error.message}`);
    throw error;
  }
  checkMinContextSlot(config, ledger.slot);
  return { context: rpcContext(ledger.slot), value: fee === null ? null : u64Json(fee) };
};

/** The history-reading methods by name. */
export const historyMethods: Record<string, RpcMethod> = {
  getSignatureStatuses,
  getTransaction,
  getSignaturesForAddress,
  getFeeForMessage,
};
