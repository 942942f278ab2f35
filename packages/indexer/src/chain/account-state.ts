// Reading account state around an execution: balances and token balances for the transaction's meta, the full
// post-state of writable accounts for the journal, and the pre-state to undo a failed preflight. Readonly accounts
// cannot change, so after execution only writable ones are read again.
import { Account } from 'litesvm';
import type { AccountKeys } from './account-keys.js';
import { encodeAddress } from './base58.js';
import type { AccountWrite, TokenBalance } from './ledger-record.js';
import type { RawSvm } from './raw-svm.js';
import { decodeMint, decodeTokenAccount, tokenProgramOf, uiTokenAmount } from './token-account.js';

/** An account as the RPC serves it. */
export interface AccountView {
  lamports: bigint;
  owner: string;
  executable: boolean;
  data: Uint8Array;
}

/** The account at `address`, or null when it does not exist (litesvm keeps no zero-lamport accounts). */
export function readAccount(raw: RawSvm, address: Uint8Array): AccountView | null {
  const account = raw.getAccount(address);
  if (!account || account.lamports() === 0n) return null;
  return {
    lamports: account.lamports(),
    owner: encodeAddress(account.owner()),
    executable: account.executable(),
    data: account.data(),
  };
}

/** Per key: litesvm's copy of the account (null: absent), its lamports and its token balance if it is a token account. */
export interface BalanceCapture {
  accounts: (Account | null)[];
  lamports: bigint[];
  tokens: (TokenBalance | undefined)[];
}

/** Mint decimals looked up during one execution (mints do not change decimals). */
export type MintCache = Map<string, number | undefined>;

function tokenBalance(raw: RawSvm, account: Account, accountIndex: number, mints: MintCache): TokenBalance | undefined {
  const programId = tokenProgramOf(account.owner());
  if (!programId || account.executable()) return undefined;
  const fields = decodeTokenAccount(account.data());
  if (!fields) return undefined;
  const mint = encodeAddress(fields.mint);
  if (!mints.has(mint)) {
    const mintData = raw.getAccount(fields.mint)?.data();
    mints.set(mint, mintData ? decodeMint(mintData)?.decimals : undefined);
  }
  const decimals = mints.get(mint);
  if (decimals === undefined) return undefined;
  const owner = encodeAddress(fields.owner);
  return { accountIndex, mint, owner, programId, uiTokenAmount: uiTokenAmount(fields.amount, decimals) };
}

function captureKey(raw: RawSvm, keys: AccountKeys, index: number, mints: MintCache, into: BalanceCapture): void {
  const account = raw.getAccount(keys.bytes[index] as Uint8Array);
  into.accounts[index] = account;
  into.lamports[index] = account?.lamports() ?? 0n;
  into.tokens[index] = account ? tokenBalance(raw, account, index, mints) : undefined;
}

/** Reads every key before an execution. */
export function capturePre(raw: RawSvm, keys: AccountKeys, mints: MintCache): BalanceCapture {
  const capture: BalanceCapture = { accounts: [], lamports: [], tokens: [] };
  for (let index = 0; index < keys.bytes.length; index++) captureKey(raw, keys, index, mints, capture);
  return capture;
}

/** Reads the writable keys after an execution (readonly ones keep their pre-state) and their journal writes. */
export function capturePost(raw: RawSvm, keys: AccountKeys, pre: BalanceCapture, mints: MintCache) {
  const post: BalanceCapture = { accounts: [...pre.accounts], lamports: [...pre.lamports], tokens: [...pre.tokens] };
  const writes: AccountWrite[] = [];
  const written = new Set<string>();
  for (let index = 0; index < keys.bytes.length; index++) {
    if (!keys.writable[index]) continue;
    captureKey(raw, keys, index, mints, post);
    const address = keys.addresses[index] as string;
    if (written.has(address)) continue;
    written.add(address);
    writes.push(toWrite(address, post.accounts[index] ?? null));
  }
  return { post, writes };
}

/** Token balances of a capture, as meta lists them. */
export function tokenBalances(capture: BalanceCapture): TokenBalance[] {
  return capture.tokens.filter((balance): balance is TokenBalance => balance !== undefined);
}

/** Puts the writable accounts back as `capture` read them (undoing a failed execution's fee). */
export function restoreWritable(raw: RawSvm, keys: AccountKeys, capture: BalanceCapture): void {
  keys.bytes.forEach((key, index) => {
    if (!keys.writable[index]) return;
    // Zero lamports makes litesvm drop the account, which is how an absent one is restored.
    raw.setAccount(key, capture.accounts[index] ?? new Account(0n, new Uint8Array(), new Uint8Array(32), false, 0n));
  });
}

function toWrite(address: string, account: Account | null): AccountWrite {
  if (!account)
    return { address, lamports: '0', owner: '11111111111111111111111111111111', executable: false, data: '' };
  return {
    address,
    lamports: account.lamports().toString(),
    owner: encodeAddress(account.owner()),
    executable: account.executable(),
    data: Buffer.from(account.data()).toString('base64'),
  };
}

/** One account's full state as a journal write. */
export function accountWrite(raw: RawSvm, key: Uint8Array, address: string): AccountWrite {
  return toWrite(address, raw.getAccount(key));
}
