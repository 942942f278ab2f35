// The local faucet: requestAirdrop becomes a real system transfer signed by a key derived from the chain seed, so an
// airdrop has a signature, a status and a transaction like any other, and recovery needs nothing special for it.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { decodeBase58, encodeAddress } from './base58.js';

/** Lamports the faucet starts with (5M SOL, below 2^53 so plain JSON numbers stay exact). */
export const FAUCET_LAMPORTS = 5_000_000_000_000_000n;
/** The largest single airdrop. */
export const MAX_AIRDROP_LAMPORTS = 1_000_000_000_000_000n;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SYSTEM_PROGRAM = new Uint8Array(32);
const MEMO_PROGRAM = decodeBase58('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');

/** The faucet's signing key and address. */
export interface Faucet {
  key: KeyObject;
  publicKey: Uint8Array;
  address: string;
}

/** The faucet of the chain with `seed`. */
export function deriveFaucet(seed: Uint8Array): Faucet {
  const secret = createHash('sha256').update('attention-oracle local faucet').update(seed).digest();
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, secret]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return { key, publicKey, address: encodeAddress(publicKey) };
}

/**
 * A signed legacy transaction moving `lamports` from the faucet to `recipient`. The memo carries `nonce`, so two
 * equal airdrops in one slot still have different signatures.
 */
export function airdropTransaction(
  faucet: Faucet,
  recipient: Uint8Array,
  lamports: bigint,
  blockhash: string,
  nonce: number,
): Uint8Array {
  const transfer = Buffer.alloc(12);
  transfer.writeUInt32LE(2, 0);
  transfer.writeBigUInt64LE(lamports, 4);
  const memo = Buffer.from(`airdrop ${nonce}`);
  const message = Buffer.concat([
    Buffer.from([1, 0, 2, 4]),
    faucet.publicKey,
    recipient,
    SYSTEM_PROGRAM,
    MEMO_PROGRAM,
    decodeBase58(blockhash),
    Buffer.from([2, 2, 2, 0, 1, transfer.length]),
    transfer,
    Buffer.from([3, 0, memo.length]),
    memo,
  ]);
  const signature = sign(null, message, faucet.key);
  return new Uint8Array(Buffer.concat([Buffer.from([1]), signature, message]));
}
