import { readFileSync } from 'node:fs';
import { privateKeyFromKeypair } from './ed25519-internal.js';
import { parseSecretKey } from './parse-secret-key-internal.js';
import { RoleKey } from './role-key.js';
import { type KeyRole, RoleKeyError } from './role-key-error.js';

/** Where a role key comes from: a keypair file, or the value of an environment variable. Set exactly one. */
export interface RoleKeySource {
  /** A Solana keypair file: a JSON array of 64 numbers, as `solana-keygen` writes. */
  path?: string | undefined;
  /** An environment variable's value: the same JSON array, or base58 of the 64 bytes. */
  env?: string | undefined;
  /** The variable's name, used only in error messages. */
  envName?: string | undefined;
}

/**
 * Loads the key of `role` at start-up, failing fast with a {@link RoleKeyError} that names the role and the source
 * when the key is missing or malformed. The raw bytes are wiped once the key is imported; nothing is stored or
 * logged.
 *
 * @example
 * // env.ts validated these; nothing else reads process.env
 * const publisher = loadRoleKey('publisher', { path: env.PUBLISHER_KEYPAIR_PATH });
 * const sponsor = loadRoleKey('sponsor-fee-payer', { env: env.SPONSOR_KEYPAIR, envName: 'SPONSOR_KEYPAIR' });
 */
export function loadRoleKey(role: KeyRole, source: RoleKeySource): RoleKey {
  const envLabel = `environment variable ${source.envName ?? '(unnamed)'}`;
  if (source.path !== undefined && source.env !== undefined) {
    throw new RoleKeyError(role, `file ${source.path} and ${envLabel}`, 'is ambiguous: set only one of them');
  }
  if (source.path === undefined && source.env === undefined) {
    const variable =
      source.envName === undefined ? 'an environment variable' : `environment variable ${source.envName}`;
    throw new RoleKeyError(role, 'configuration', `is missing: give a keypair file path or set ${variable}`);
  }
  const label = source.path === undefined ? envLabel : `file ${source.path}`;
  let text: string;
  if (source.path === undefined) {
    text = source.env ?? '';
  } else {
    try {
      text = readFileSync(source.path, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const reason =
        code === 'ENOENT' ? 'does not exist' : `cannot be read (${typeof code === 'string' ? code : 'error'})`;
      throw new RoleKeyError(role, label, reason, { cause: error });
    }
  }
  // Only environment values may be base58: keypair files are always the CLI's JSON.
  const parsed = parseSecretKey(text, source.path === undefined);
  if (!parsed.ok) throw new RoleKeyError(role, label, parsed.problem);
  try {
    const privateKey = privateKeyFromKeypair(parsed.bytes);
    if (privateKey === undefined) {
      throw new RoleKeyError(role, label, 'is not a valid keypair: its public half does not match its secret half');
    }
    return new RoleKey(role, privateKey);
  } finally {
    parsed.bytes.fill(0);
  }
}
