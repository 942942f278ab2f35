// Wallet arguments: 32 raw bytes or a web3.js PublicKey, checked once at the edge.
import { InvalidArgumentError } from '@attention-oracle/core';
import { PublicKey } from '@solana/web3.js';

/**
 * The wallet's 32 bytes.
 *
 * @throws InvalidArgumentError for anything but a PublicKey or 32 bytes.
 * @example
 * walletBytes(new PublicKey('11111111111111111111111111111111')).length; // 32
 */
export function walletBytes(wallet: Uint8Array | PublicKey): Uint8Array {
  if (wallet instanceof PublicKey) return wallet.toBytes();
  if (wallet instanceof Uint8Array && wallet.length === 32) return Uint8Array.from(wallet);
  const got = wallet instanceof Uint8Array ? `${wallet.length} bytes` : typeof wallet;
  throw new InvalidArgumentError(`a wallet must be a PublicKey or 32 bytes, got ${got}`);
}
