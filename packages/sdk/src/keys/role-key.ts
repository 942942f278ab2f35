import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { inspect } from 'node:util';
import { PublicKey, type Transaction, type VersionedTransaction } from '@solana/web3.js';
import { rawPublicKey } from './ed25519-internal.js';
import { KEY_ROLE_NAMES, type KeyRole } from './role-key-error.js';

/**
 * The signing key of one role. It signs, and it can say which role and public key it is, but it never gives out
 * the secret: the key lives in a private field as an opaque KeyObject, and `toString`, `toJSON` and `util.inspect`
 * show only the role and the public key. Its signing methods match the wallet-adapter / Anchor `Wallet` shape, so
 * code that signs with a browser wallet can sign with a role key too.
 *
 * @example
 * const publisher = loadRoleKey('publisher', { path: env.PUBLISHER_KEYPAIR_PATH });
 * tx.feePayer = publisher.publicKey;
 * await publisher.signTransaction(tx);
 * logger.info(`publishing as ${publisher}`); // "publisher key <base58 public key>"
 */
export class RoleKey {
  readonly role: KeyRole;
  readonly publicKey: PublicKey;
  readonly #privateKey: KeyObject;

  /** Wraps an ed25519 private KeyObject; see {@link loadRoleKey} to load one from a file or the environment. */
  constructor(role: KeyRole, privateKey: KeyObject) {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
      throw new TypeError(`the ${KEY_ROLE_NAMES[role]} key must be an ed25519 private key`);
    }
    this.role = role;
    this.#privateKey = privateKey;
    this.publicKey = new PublicKey(rawPublicKey(privateKey));
  }

  /**
   * A fresh random key, for tests and local chains.
   *
   * @example
   * const payer = RoleKey.generate('sponsor-fee-payer');
   */
  static generate(role: KeyRole): RoleKey {
    return new RoleKey(role, generateKeyPairSync('ed25519').privateKey);
  }

  /**
   * The 64-byte ed25519 signature of `message`.
   *
   * @example
   * const signature = await publisher.signMessage(new TextEncoder().encode('hello'));
   */
  async signMessage(message: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(sign(null, message, this.#privateKey));
  }

  /**
   * Adds this key's signature to `tx` (legacy or versioned) and returns it. The key must be one of the transaction's
   * signers (for a legacy transaction, set `feePayer` and `recentBlockhash` first).
   *
   * @example
   * tx.feePayer = sponsor.publicKey;
   * tx.recentBlockhash = blockhash;
   * await sponsor.signTransaction(tx);
   */
  async signTransaction<T extends Transaction | VersionedTransaction>(tx: T): Promise<T> {
    if ('version' in tx) {
      tx.addSignature(this.publicKey, new Uint8Array(sign(null, tx.message.serialize(), this.#privateKey)));
    } else {
      tx.addSignature(this.publicKey, sign(null, tx.serializeMessage(), this.#privateKey));
    }
    return tx;
  }

  /**
   * {@link RoleKey.signTransaction} for each transaction.
   *
   * @example
   * const signed = await publisher.signAllTransactions([first, second]);
   */
  async signAllTransactions<T extends Transaction | VersionedTransaction>(txs: T[]): Promise<T[]> {
    for (const tx of txs) await this.signTransaction(tx);
    return txs;
  }

  /**
   * `"<role> key <public key>"`, safe for logs.
   *
   * @example
   * `${publisher}`; // "publisher key 7xKX...AsU"
   */
  toString(): string {
    return `${KEY_ROLE_NAMES[this.role]} key ${this.publicKey.toBase58()}`;
  }

  /**
   * The role and the public key, so serializing a config object that holds a key never writes the secret.
   *
   * @example
   * JSON.stringify({ publisher }); // {"publisher":{"role":"publisher","publicKey":"7xKX...AsU"}}
   */
  toJSON(): { role: KeyRole; publicKey: string } {
    return { role: this.role, publicKey: this.publicKey.toBase58() };
  }

  /** What `util.inspect` and `console.log` show. */
  [inspect.custom](): string {
    return `RoleKey { ${this.toString()} }`;
  }
}
