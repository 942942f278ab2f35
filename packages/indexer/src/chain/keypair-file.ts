// Keypair files in the Solana CLI format (a JSON array of the 64 secret-key bytes), readable by the owner only.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Keypair } from '@solana/web3.js';
import { writeFileDurably } from './data-dir.js';

/** Reads a keypair file. */
export function readKeypairFile(path: string): Keypair {
  const bytes = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(bytes) || bytes.length !== 64 || bytes.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
    throw new Error(`${path} is not a keypair file (expected a JSON array of 64 bytes)`);
  }
  return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
}

/** The keypair in `path`, or a new one written there (mode 0600, folder 0700) when the file does not exist. */
export function loadOrCreateKeypair(path: string): Keypair {
  try {
    return readKeypairFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const keypair = Keypair.generate();
  writeFileDurably(path, JSON.stringify(Array.from(keypair.secretKey)));
  return keypair;
}
