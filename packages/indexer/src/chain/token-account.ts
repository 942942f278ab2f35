// SPL Token and Token-2022 account layouts, as far as balances need them: both programs share the 165-byte base
// account and the 82-byte base mint; Token-2022 marks extended accounts with a type byte at offset 165.
import { decodeBase58 } from './base58.js';

/** SPL Token program id. */
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
/** Token-2022 program id. */
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';

const ACCOUNT_LEN = 165;
const MINT_LEN = 82;
const ACCOUNT_TYPE_MINT = 1;
const ACCOUNT_TYPE_ACCOUNT = 2;

const TOKEN_PROGRAM_BYTES = Buffer.from(decodeBase58(TOKEN_PROGRAM));
const TOKEN_2022_PROGRAM_BYTES = Buffer.from(decodeBase58(TOKEN_2022_PROGRAM));

/** Whether `owner` (base58) is one of the two token programs. */
export function isTokenProgram(owner: string): boolean {
  return owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;
}

/** The token program (base58) owning an account, from the owner's bytes; undefined for any other owner. */
export function tokenProgramOf(owner: Uint8Array): string | undefined {
  if (TOKEN_2022_PROGRAM_BYTES.equals(owner)) return TOKEN_2022_PROGRAM;
  if (TOKEN_PROGRAM_BYTES.equals(owner)) return TOKEN_PROGRAM;
  return undefined;
}

/** A token account's mint, owner and raw amount (bytes 0..32, 32..64, u64 at 64). */
export interface TokenAccountFields {
  mint: Uint8Array;
  owner: Uint8Array;
  amount: bigint;
}

/** Decodes a token account's data; undefined when the data is not a token account. */
export function decodeTokenAccount(data: Uint8Array): TokenAccountFields | undefined {
  const isAccount =
    data.length === ACCOUNT_LEN || (data.length > ACCOUNT_LEN && data[ACCOUNT_LEN] === ACCOUNT_TYPE_ACCOUNT);
  if (!isAccount) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { mint: data.subarray(0, 32), owner: data.subarray(32, 64), amount: view.getBigUint64(64, true) };
}

/** A mint's decimals and supply; undefined when the data is not an initialized mint. */
export function decodeMint(data: Uint8Array): { decimals: number; supply: bigint } | undefined {
  const isMint = data.length === MINT_LEN || (data.length > ACCOUNT_LEN && data[ACCOUNT_LEN] === ACCOUNT_TYPE_MINT);
  if (!isMint || data[45] !== 1) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { decimals: data[44] ?? 0, supply: view.getBigUint64(36, true) };
}

/** Solana's UiTokenAmount. */
export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number;
  uiAmountString: string;
}

/** Formats a raw amount the way agave does: a float and an exact decimal string without trailing zeros. */
export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const digits = amount.toString();
  let uiAmountString = digits;
  if (decimals > 0) {
    const padded = digits.padStart(decimals + 1, '0');
    const whole = padded.slice(0, padded.length - decimals);
    const fraction = padded.slice(padded.length - decimals).replace(/0+$/, '');
    uiAmountString = fraction ? `${whole}.${fraction}` : whole;
  }
  return { amount: digits, decimals, uiAmount: Number(uiAmountString), uiAmountString };
}
