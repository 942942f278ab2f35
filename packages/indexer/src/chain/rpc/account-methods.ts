// Account reads: getAccountInfo, getMultipleAccounts, getBalance, getTokenAccountBalance, getTokenSupply,
// getMinimumBalanceForRentExemption.

import { decodeAddress, encodeAddress } from '../base58.js';
import type { LocalLedger } from '../ledger.js';
import { decodeMint, decodeTokenAccount, isTokenProgram, uiTokenAmount } from '../token-account.js';
import { accountEncoding, accountJson } from './account-json.js';
import { invalidParams, u64Json } from './json-rpc.js';
import { addressAt, checkMinContextSlot, configAt, integer, type RpcMethod, rpcContext } from './params.js';

const MAX_MULTIPLE_ACCOUNTS = 100;

const getAccountInfo: RpcMethod = (params, { ledger }) => {
  const address = addressAt(params, 0);
  const config = configAt(params, 1);
  checkMinContextSlot(config, ledger.slot);
  return { context: rpcContext(ledger.slot), value: accountJson(ledger.getAccount(address), accountEncoding(config)) };
};

const getMultipleAccounts: RpcMethod = (params, { ledger }) => {
  const addresses = params[0];
  if (!Array.isArray(addresses) || addresses.some((item) => typeof item !== 'string' || !decodeAddress(item))) {
    throw invalidParams('Invalid params: expected an array of base58 addresses');
  }
  if (addresses.length > MAX_MULTIPLE_ACCOUNTS) {
    throw invalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
  }
  const config = configAt(params, 1);
  checkMinContextSlot(config, ledger.slot);
  const encoding = accountEncoding(config);
  const value = (addresses as string[]).map((address) => accountJson(ledger.getAccount(address), encoding));
  return { context: rpcContext(ledger.slot), value };
};

const getBalance: RpcMethod = (params, { ledger }) => {
  const address = addressAt(params, 0);
  checkMinContextSlot(configAt(params, 1), ledger.slot);
  return { context: rpcContext(ledger.slot), value: u64Json(ledger.getAccount(address)?.lamports ?? 0n) };
};

/** Decimals of a mint account, or an error naming what is wrong. */
function mintDecimals(ledger: LocalLedger, mint: string): { decimals: number; supply: bigint } {
  const account = ledger.getAccount(mint);
  const decoded = account && isTokenProgram(account.owner) ? decodeMint(account.data) : undefined;
  if (!decoded) throw invalidParams('Invalid param: not a Token mint');
  return decoded;
}

const getTokenAccountBalance: RpcMethod = (params, { ledger }) => {
  const address = addressAt(params, 0);
  checkMinContextSlot(configAt(params, 1), ledger.slot);
  const account = ledger.getAccount(address);
  const fields = account && isTokenProgram(account.owner) ? decodeTokenAccount(account.data) : undefined;
  if (!fields) throw invalidParams('Invalid param: not a Token account');
  const { decimals } = mintDecimals(ledger, encodeAddress(fields.mint));
  return { context: rpcContext(ledger.slot), value: uiTokenAmount(fields.amount, decimals) };
};

const getTokenSupply: RpcMethod = (params, { ledger }) => {
  const mint = addressAt(params, 0);
  const { decimals, supply } = mintDecimals(ledger, mint);
  return { context: rpcContext(ledger.slot), value: uiTokenAmount(supply, decimals) };
};

const getMinimumBalanceForRentExemption: RpcMethod = (params, { ledger }) => {
  const length = integer(params[0], 'data length', 10 * 1024 * 1024);
  return u64Json(ledger.svm.minimumBalanceForRentExemption(BigInt(length)));
};

/** The account-reading methods by name. */
export const accountMethods: Record<string, RpcMethod> = {
  getAccountInfo,
  getMultipleAccounts,
  getBalance,
  getTokenAccountBalance,
  getTokenSupply,
  getMinimumBalanceForRentExemption,
};
