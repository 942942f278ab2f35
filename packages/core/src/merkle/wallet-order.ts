import { base58Encode } from '../base58.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * The permutation that sorts 32-byte wallets bytewise (the dataset order), or null when they already are sorted.
 * A duplicate wallet is an error: a wallet has one cumulative total per root.
 *
 * A comparator sort of a million wallets takes about a second; instead the wallets' first four bytes are radix-sorted
 * (two stable 16-bit counting passes), and only the rare runs that share those four bytes are compared in full.
 */
export function walletOrder(wallets: Uint8Array): Uint32Array | null {
  const count = wallets.length / 32;
  if (isSorted(wallets, count)) return null;
  const prefixes = new Uint32Array(count);
  for (let i = 0, o = 0; i < count; i++, o += 32) {
    prefixes[i] =
      (((wallets[o] as number) << 24) |
        ((wallets[o + 1] as number) << 16) |
        ((wallets[o + 2] as number) << 8) |
        (wallets[o + 3] as number)) >>>
      0;
  }
  let order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let scratch = new Uint32Array(count);
  for (const shift of [0, 16]) {
    const starts = new Uint32Array(65537);
    for (let i = 0; i < count; i++) {
      const next = (((prefixes[i] as number) >>> shift) & 0xffff) + 1;
      starts[next] = (starts[next] as number) + 1;
    }
    for (let b = 1; b <= 65536; b++) starts[b] = (starts[b] as number) + (starts[b - 1] as number);
    for (let i = 0; i < count; i++) {
      const index = order[i] as number;
      const bucket = ((prefixes[index] as number) >>> shift) & 0xffff;
      scratch[starts[bucket] as number] = index;
      starts[bucket] = (starts[bucket] as number) + 1;
    }
    [order, scratch] = [scratch, order];
  }
  for (let start = 0; start < count; ) {
    let end = start + 1;
    const prefix = prefixes[order[start] as number];
    while (end < count && prefixes[order[end] as number] === prefix) end++;
    if (end - start > 1) {
      const run = Array.from(order.subarray(start, end)).sort((a, b) => compareWallets(wallets, a, b));
      order.set(run, start);
      for (let i = start + 1; i < end; i++) {
        if (compareWallets(wallets, order[i - 1] as number, order[i] as number) === 0)
          duplicate(wallets, order[i] as number);
      }
    }
    start = end;
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
