// One-time wallet challenges: the message a wallet signs to prove it belongs to the logged-in viewer, and the check of
// its ed25519 signature. Challenges live in memory (one process); a restart or a second process forgets them, which
// only makes the viewer ask for a new one.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { base58Decode, base58Encode } from '@attention-oracle/core';
import { HttpError } from '../http.js';

/** A challenge issued to one viewer for one wallet. */
export interface WalletChallenge {
  readonly nonce: string;
  readonly userId: string;
  /** base58 */
  readonly wallet: string;
  /** The exact text the wallet signs (UTF-8). */
  readonly message: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

/** Issued challenges, each usable once. */
export interface ChallengeStore {
  issue(input: { domain: string; userId: string; wallet: string; ttlSeconds: number; nowMs: number }): WalletChallenge;
  /** Removes and returns the challenge (by nonce, or the viewer's newest); errors are 4xx HttpErrors. */
  consume(input: { userId: string; nonce?: string; nowMs: number }): WalletChallenge;
}

/**
 * An in-memory store of one-time challenges; a viewer has at most one outstanding challenge (a new one replaces it).
 *
 * @example const store = createChallengeStore(); const c = store.issue({ domain, userId, wallet, ttlSeconds: 300, nowMs });
 */
export function createChallengeStore(): ChallengeStore {
  const byNonce = new Map<string, WalletChallenge>();
  const byUser = new Map<string, string>();
  const sweep = (nowMs: number) => {
    for (const [nonce, c] of byNonce) {
      if (c.expiresAtMs <= nowMs) {
        byNonce.delete(nonce);
        if (byUser.get(c.userId) === nonce) byUser.delete(c.userId);
      }
    }
  };
  return {
    issue({ domain, userId, wallet, ttlSeconds, nowMs }) {
      sweep(nowMs);
      const prior = byUser.get(userId);
      if (prior !== undefined) byNonce.delete(prior);
      const nonce = randomBytes(16).toString('hex');
      const expiresAtMs = nowMs + ttlSeconds * 1000;
      const message = [
        `${domain} asks you to bind this Solana wallet to your Twitch account.`,
        '',
        `Wallet: ${wallet}`,
        `Twitch user id: ${userId}`,
        `Nonce: ${nonce}`,
        `Issued at: ${new Date(nowMs).toISOString()}`,
        `Expires at: ${new Date(expiresAtMs).toISOString()}`,
      ].join('\n');
      const challenge = { nonce, userId, wallet, message, issuedAtMs: nowMs, expiresAtMs };
      byNonce.set(nonce, challenge);
      byUser.set(userId, nonce);
      return challenge;
    },
    consume({ userId, nonce, nowMs }) {
      const key = nonce ?? byUser.get(userId);
      const challenge = key === undefined ? undefined : byNonce.get(key);
      if (challenge === undefined || key === undefined) {
        throw new HttpError(400, 'CHALLENGE_UNKNOWN', 'no open wallet challenge: request one, it can be used once');
      }
      if (challenge.userId !== userId) {
        throw new HttpError(403, 'CHALLENGE_FORBIDDEN', 'this wallet challenge was issued to another viewer');
      }
      byNonce.delete(key);
      if (byUser.get(userId) === key) byUser.delete(userId);
      if (challenge.expiresAtMs <= nowMs) {
        throw new HttpError(400, 'CHALLENGE_EXPIRED', 'the wallet challenge expired: request a new one');
      }
      return challenge;
    },
  };
}

/**
 * A wallet address as 32 bytes, or a 400.
 *
 * @example const bytes = parseWallet('4Nd1m...');
 */
export function parseWallet(wallet: unknown): Uint8Array {
  if (typeof wallet !== 'string' || wallet.length < 32 || wallet.length > 44) {
    throw new HttpError(400, 'BAD_REQUEST', 'wallet must be a base58 Solana address (32 to 44 characters)');
  }
  let bytes: Uint8Array;
  try {
    bytes = base58Decode(wallet);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'wallet is not valid base58');
  }
  if (bytes.length !== 32 || base58Encode(bytes) !== wallet) {
    throw new HttpError(400, 'BAD_REQUEST', 'wallet must decode to exactly 32 bytes');
  }
  return bytes;
}

/**
 * A 64-byte ed25519 signature given as base58 or base64, or a 400.
 *
 * @example const sig = parseSignature(body.signature);
 */
export function parseSignature(signature: unknown): Uint8Array {
  if (typeof signature !== 'string' || signature.length === 0 || signature.length > 100) {
    throw new HttpError(400, 'BAD_REQUEST', 'signature must be a base58 or base64 string of 64 bytes');
  }
  let bytes: Uint8Array | null = null;
  if (/^[1-9A-HJ-NP-Za-km-z]+$/.test(signature)) {
    try {
      bytes = base58Decode(signature);
    } catch {
      bytes = null;
    }
  }
  if (bytes === null || bytes.length !== 64) {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(signature) ? Buffer.from(signature, 'base64') : null;
    bytes = decoded === null ? null : new Uint8Array(decoded);
  }
  if (bytes === null || bytes.length !== 64) {
    throw new HttpError(400, 'BAD_REQUEST', 'signature must decode (base58 or base64) to exactly 64 bytes');
  }
  return bytes;
}

/**
 * Whether `signature` is the ed25519 signature of `message` (UTF-8 bytes) by the wallet's key.
 *
 * @example if (!verifyWalletSignature(wallet, challenge.message, sig)) throw new Error('bad signature');
 */
export function verifyWalletSignature(wallet: Uint8Array, message: string, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(wallet).toString('base64url') },
      format: 'jwk',
    });
    return verify(null, Buffer.from(message, 'utf8'), key, signature);
  } catch {
    return false;
  }
}
