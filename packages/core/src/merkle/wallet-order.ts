import { base58Encode } from '../base58.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * The permutation that sorts 32-byte wallets bytewise (the dataset order), or null when they already are sorted.
 * A duplicate wallet is an error: a wallet has one cumulative total per root.
 *
 * Sorting a million wallets with a byte comparator takes seconds; instead each wallet's top 29 bits and its index are
 * packed into one exact double (29 + 24 bits), sorted natively, and only runs that share a prefix are compared in full.
 */
export function walletOrder(wallets: Uint8Array): Uint32Array | null {
  const count = wallets.length / 32;
  if (isSorted(wallets, count)) return null;
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * 32;
    const prefix =
      (((wallets[o] as number) << 21) |
        ((wallets[o + 1] as number) << 13) |
        ((wallets[o + 2] as number) << 5) |
        ((wallets[o + 3] as number) >>> 3)) >>>
      0;
    keys[i] = prefix * 2 ** 24 + i;
  }
  keys.sort();
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = (keys[i] as number) % 2 ** 24;
  for (let start = 0; start < count; ) {
    let end = start + 1;
    const prefix = Math.floor((keys[start] as number) / 2 ** 24);
    while (end < count && Math.floor((keys[end] as number) / 2 ** 24) === prefix) end++;
    if (end - start > 1) {
      const run = Array.from(order.subarray(start, end)).sort((a, b) => compareWallets(wallets, a, b));
      order.set(run, start);
    }
    start = end;
  }
  for (let i = 1; i < count; i++) {
    if (compareWallets(wallets, order[i - 1] as number, order[i] as number) === 0)
      duplicate(wallets, order[i] as number);
  }
  return order;
}

/** True when the wallets are strictly ascending (artifacts must be). */
export function walletsStrictlySorted(wallets: Uint8Array): boolean {
  for (let i = 1; i < wallets.length / 32; i++) if (compareWallets(wallets, i - 1, i) >= 0) return false;
  return true;
}

function isSorted(wallets: Uint8Array, count: number): boolean {
  for (let i = 1; i < count; i++) {
    const c = compareWallets(wallets, i - 1, i);
    if (c > 0) return false;
    if (c === 0) duplicate(wallets, i);
  }
  return true;
}

/** Bytewise comparison of wallets `a` and `b` (indices into the packed array). */
export function compareWallets(wallets: Uint8Array, a: number, b: number): number {
  const oa = a * 32;
  const ob = b * 32;
  for (let j = 0; j < 32; j++) {
    const d = (wallets[oa + j] as number) - (wallets[ob + j] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function duplicate(wallets: Uint8Array, index: number): never {
  const wallet = base58Encode(wallets.subarray(index * 32, index * 32 + 32));
  throw new InvalidArgumentError(`wallet ${wallet} appears twice; each wallet has one leaf`);
}
