// Writes a dataset file straight into one buffer (base58 digits and decimal amounts without intermediate strings):
// a million wallets take under a second, where building one string per line took five.
import type { GlobalLeaves } from './merkle/global-leaves.js';

const ALPHABET = new TextEncoder().encode('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz');
const GROUP = 58 ** 5;
const TWO_32 = 0x1_0000_0000;
const COMMA = 0x2c;
const LF = 0x0a;
// The longest line: a 44-character wallet, then one or two u64 amounts of at most 20 digits, commas and the LF.
const MAX_LINE = { v4: 44 + 1 + 20 + 1, v5: 44 + 2 * (1 + 20) + 1 } as const;

/** The header line (with its LF) followed by one line per leaf, in the order given. */
export function writeDataset(headerLine: string, leaves: GlobalLeaves): Uint8Array {
  const count = leaves.wallets.length / 32;
  const header = new TextEncoder().encode(headerLine);
  const out = new Uint8Array(header.length + count * MAX_LINE[leaves.version]);
  out.set(header, 0);
  let at = header.length;
  const wallets = leaves.wallets;
  const amounts = new DataView(leaves.amounts.buffer, leaves.amounts.byteOffset, leaves.amounts.byteLength);
  const v5 = leaves.version === 'v5';
  for (let i = 0; i < count; i++) {
    at = writeWallet(out, at, wallets, i * 32);
    if (v5) {
      out[at++] = COMMA;
      at = writeU64(out, at, amounts.getUint32(i * 16 + 4, true), amounts.getUint32(i * 16, true));
      out[at++] = COMMA;
      at = writeU64(out, at, amounts.getUint32(i * 16 + 12, true), amounts.getUint32(i * 16 + 8, true));
    } else {
      out[at++] = COMMA;
      at = writeU64(out, at, amounts.getUint32(i * 8 + 4, true), amounts.getUint32(i * 8, true));
    }
    out[at++] = LF;
  }
  return out.subarray(0, at);
}

const limbs = new Float64Array(10); // little-endian limbs in base 58^5 (a 256-bit value needs 9)
const digits = new Uint8Array(50);

/** Base58 of the 32 bytes at `from`, as Solana writes addresses (leading zero bytes become '1's). */
function writeWallet(out: Uint8Array, at: number, bytes: Uint8Array, from: number): number {
  let zeros = 0;
  while (zeros < 32 && bytes[from + zeros] === 0) zeros++;
  let used = 0;
  // Bytes two at a time (an odd leading byte alone), each step limbs = limbs * 2^k + chunk; products stay below 2^53.
  let i = zeros;
  if ((32 - zeros) % 2 === 1) {
    limbs[0] = bytes[from + i] as number;
    used = 1;
    i++;
  }
  for (; i < 32; i += 2) {
    let carry = (((bytes[from + i] as number) << 8) | (bytes[from + i + 1] as number)) >>> 0;
    for (let k = 0; k < used; k++) {
      const x = (limbs[k] as number) * 65536 + carry;
      carry = Math.floor(x / GROUP);
      limbs[k] = x - carry * GROUP;
    }
    while (carry > 0) {
      const next = Math.floor(carry / GROUP);
      limbs[used++] = carry - next * GROUP;
      carry = next;
    }
  }
  let n = 0;
  for (let g = 0; g < used; g++) {
    let limb = limbs[g] as number;
    const last = g === used - 1;
    for (let d = 0; d < 5 && (!last || limb > 0); d++) {
      const q = Math.floor(limb / 58);
      digits[n++] = limb - q * 58;
      limb = q;
    }
  }
  for (let z = 0; z < zeros; z++) out[at++] = ALPHABET[0] as number;
  while (n > 0) out[at++] = ALPHABET[digits[--n] as number] as number;
  return at;
}

/** The decimal digits of the u64 hi * 2^32 + lo. */
function writeU64(out: Uint8Array, at: number, hi: number, lo: number): number {
  if (hi >= 0x20_0000) {
    // At or above 2^53 a double is not exact: BigInt does the rare huge amount.
    const text = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
    for (let k = 0; k < text.length; k++) out[at++] = text.charCodeAt(k);
    return at;
  }
  let value = hi * TWO_32 + lo;
  let n = 0;
  do {
    const q = Math.floor(value / 10);
    digits[n++] = 48 + (value - q * 10);
    value = q;
  } while (value > 0);
  while (n > 0) out[at++] = digits[--n] as number;
  return at;
}
