import { InvalidArgumentError } from './errors.js';

// Bitcoin/Solana alphabet. Digits are grouped five at a time (58^5 < 2^32) and bytes two at a time, so a 32-byte
// address takes about 150 integer steps: datasets encode a million wallets, and a naive digit loop is 10x slower.
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const GROUP = 58 ** 5;
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** Base58 (Bitcoin alphabet) text of `bytes`, as Solana writes addresses. */
export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const groups: number[] = []; // little-endian limbs in base 58^5
  const start = zeros + ((bytes.length - zeros) % 2);
  if (start > zeros) multiplyAdd(groups, 256, bytes[zeros] as number);
  for (let i = start; i < bytes.length; i += 2) {
    multiplyAdd(groups, 65536, ((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  }
  let text = '';
  for (let g = 0; g < groups.length; g++) {
    let limb = groups[g] as number;
    const last = g === groups.length - 1;
    for (let d = 0; d < 5 && (!last || limb > 0); d++) {
      text = ALPHABET[limb % 58] + text;
      limb = Math.floor(limb / 58);
    }
  }
  return '1'.repeat(zeros) + text;
}

/** Bytes of base58 `text`; with `expectedLength`, anything of another length is rejected. */
export function base58Decode(text: string, expectedLength?: number): Uint8Array {
  if (typeof text !== 'string' || text.length === 0)
    throw new InvalidArgumentError('base58 text must be a non-empty string');
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const limbs: number[] = []; // little-endian limbs in base 2^16
  for (let i = zeros; i < text.length; ) {
    const take = i === zeros ? (text.length - zeros) % 5 || 5 : 5;
    let chunk = 0;
    for (let j = 0; j < take; j++, i++) {
      const code = text.charCodeAt(i);
      const digit = code < 128 ? (DIGIT[code] as number) : -1;
      if (digit < 0) throw new InvalidArgumentError(`invalid base58 character ${JSON.stringify(text[i])} at ${i}`);
      chunk = chunk * 58 + digit;
    }
    multiplyAdd(limbs, 58 ** take, chunk, 65536);
  }
  const body: number[] = [];
  for (const limb of limbs) body.push(limb & 0xff, limb >>> 8);
  while (body.length > 0 && body[body.length - 1] === 0) body.pop();
  const out = new Uint8Array(zeros + body.length);
  for (let i = 0; i < body.length; i++) out[out.length - 1 - i] = body[i] as number;
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new InvalidArgumentError(`base58 value must decode to ${expectedLength} bytes, got ${out.length}: ${text}`);
  }
  return out;
}

/** limbs = limbs * factor + addend, in base `base` (all products stay below 2^53). */
function multiplyAdd(limbs: number[], factor: number, addend: number, base = GROUP): void {
  let carry = addend;
  for (let k = 0; k < limbs.length; k++) {
    const x = (limbs[k] as number) * factor + carry;
    carry = Math.floor(x / base);
    limbs[k] = x - carry * base;
  }
  while (carry > 0) {
    const next = Math.floor(carry / base);
    limbs.push(carry - next * base);
    carry = next;
  }
}
