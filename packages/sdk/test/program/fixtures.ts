// Shared test fixtures: the committed vector file (this package's copy) and deterministic keys.
import { readFileSync } from 'node:fs';
import { PublicKey } from '@solana/web3.js';

interface ProgramVectors {
  program_id: string;
  mint: string;
  pda_protocol_state: { address: string; bump: number };
  pda_global_root: { address: string; bump: number };
  treasury_ata: { address: string };
  discriminators: Record<string, string>;
  account_discriminators: Record<string, string>;
  event_discriminators: Record<string, string>;
}

export const vectors = JSON.parse(
  readFileSync(new URL('../vectors/attention-oracle-v1.json', import.meta.url), 'utf8'),
) as { format: string; program: ProgramVectors };

/** A public key of 32 copies of `byte`: stable, readable in hex fixtures. */
export function key(byte: number): PublicKey {
  return new PublicKey(new Uint8Array(32).fill(byte));
}

/** 32 bytes of `byte`. */
export function bytes32(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

/** Hex of `n` 32-byte runs of `byte`. */
export function hexRun(byte: number, n = 1): string {
  return byte
    .toString(16)
    .padStart(2, '0')
    .repeat(32 * n);
}

/** Asserts that `fn` throws an instance of exactly `type` whose message is (or matches) `message`. */
export function expectThrows(
  fn: () => unknown,
  type: abstract new (...args: never[]) => Error,
  message: string | RegExp,
): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof type) || thrown.constructor !== type) {
    throw new Error(
      `expected a ${type.name}, got ${thrown instanceof Error ? `${thrown.constructor.name}: ${thrown.message}` : String(thrown)}`,
    );
  }
  if (typeof message === 'string' ? thrown.message !== message : !message.test(thrown.message)) {
    throw new Error(`expected message ${String(message)}, got ${JSON.stringify(thrown.message)}`);
  }
}
