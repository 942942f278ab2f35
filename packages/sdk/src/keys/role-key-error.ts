/** The roles that hold a key: each is loaded separately so a process only ever holds the keys it needs. */
export type KeyRole = 'publisher' | 'sponsor-fee-payer' | 'treasury-authority';

/** How each role is named in messages. */
export const KEY_ROLE_NAMES: Readonly<Record<KeyRole, string>> = {
  publisher: 'publisher',
  'sponsor-fee-payer': 'sponsor fee payer',
  'treasury-authority': 'treasury authority',
};

/**
 * A role key that is missing or unusable. The message names the role and the source (a file path or an
 * environment variable name) and what is wrong, never any of the key's content; there is deliberately no `cause`
 * for parse failures, because parser messages quote their input.
 *
 * @example
 * try {
 *   loadRoleKey('publisher', { path: env.PUBLISHER_KEYPAIR });
 * } catch (error) {
 *   if (error instanceof RoleKeyError) {
 *     console.error(error.message);
 *     process.exit(1);
 *   }
 *   throw error;
 * }
 */
export class RoleKeyError extends Error {
  override readonly name = 'RoleKeyError';
  readonly role: KeyRole;
  /** Where the key was looked for: `file <path>`, `environment variable <NAME>`, or `configuration`. */
  readonly source: string;

  constructor(role: KeyRole, source: string, problem: string, options?: { cause?: unknown }) {
    super(`the ${KEY_ROLE_NAMES[role]} key from ${source} ${problem}`, options);
    this.role = role;
    this.source = source;
  }
}
