// Role keys from a keypair file, an environment value as JSON or base58; missing and malformed keys fail at start
// with an error naming the role and the source.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base58Encode } from '@attention-oracle/core';
import { Keypair, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from '@solana/web3.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRoleKey } from '../../src/keys/load-role-key.js';
import { RoleKey } from '../../src/keys/role-key.js';
import { RoleKeyError } from '../../src/keys/role-key-error.js';

const dir = mkdtempSync(join(tmpdir(), 'role-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keypair = Keypair.generate();
const json = JSON.stringify(Array.from(keypair.secretKey));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function transfer(): Transaction {
  return new Transaction({ feePayer: keypair.publicKey, recentBlockhash: Keypair.generate().publicKey.toBase58() }).add(
    SystemProgram.transfer({ fromPubkey: keypair.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5 }),
  );
}

function loadError(run: () => unknown): RoleKeyError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RoleKeyError);
    return error as RoleKeyError;
  }
  throw new Error('expected a RoleKeyError');
}

describe('loadRoleKey: sources', () => {
  it.each([
    ['a keypair file', () => loadRoleKey('publisher', { path: file('publisher.json', `${json}\n`) })],
    ['an environment JSON array', () => loadRoleKey('publisher', { env: json, envName: 'PUBLISHER_KEYPAIR' })],
    ['environment base58', () => loadRoleKey('publisher', { env: ` ${base58Encode(keypair.secretKey)}\n` })],
  ])('loads from %s', (_name, load) => {
    const key = load();
    expect(key).toBeInstanceOf(RoleKey);
    expect(key.role).toBe('publisher');
    expect(key.publicKey.equals(keypair.publicKey)).toBe(true);
  });

  it('signs legacy transactions exactly as the keypair does', async () => {
    const key = loadRoleKey('sponsor-fee-payer', { env: json });
    const ours = transfer();
    const theirs = Transaction.populate(ours.compileMessage());
    await key.signTransaction(ours);
    theirs.sign(keypair);
    expect(ours.verifySignatures()).toBe(true);
    expect(ours.signature?.equals(theirs.signature ?? Buffer.alloc(0))).toBe(true);
  });

  it('signs versioned transactions and messages', async () => {
    const key = loadRoleKey('treasury-authority', { env: json });
    const message = new TransactionMessage({
      payerKey: keypair.publicKey,
      recentBlockhash: Keypair.generate().publicKey.toBase58(),
      instructions: transfer().instructions,
    }).compileToV0Message();
    const ours = new VersionedTransaction(message);
    const theirs = new VersionedTransaction(message);
    const [signed] = await key.signAllTransactions([ours]);
    theirs.sign([keypair]);
    expect(signed?.signatures[0]).toEqual(theirs.signatures[0]);
    const text = new TextEncoder().encode('attention');
    expect(await key.signMessage(text)).toHaveLength(64);
  });

  it('generates fresh keys for tests and local chains', () => {
    const key = RoleKey.generate('sponsor-fee-payer');
    expect(key.publicKey.toBytes()).toHaveLength(32);
  });
});

describe('loadRoleKey: missing and malformed keys', () => {
  const other = Keypair.generate();
  const mismatched = JSON.stringify([...keypair.secretKey.subarray(0, 32), ...other.publicKey.toBytes()]);
  const cases: [string, () => unknown, RegExp][] = [
    ['no source', () => loadRoleKey('publisher', {}), /the publisher key from configuration is missing/],
    [
      'no source, with the variable named',
      () => loadRoleKey('sponsor-fee-payer', { envName: 'SPONSOR_KEYPAIR' }),
      /sponsor fee payer key .* set environment variable SPONSOR_KEYPAIR/,
    ],
    [
      'a file that does not exist',
      () => loadRoleKey('treasury-authority', { path: join(dir, 'nope.json') }),
      /treasury authority key from file .*nope\.json does not exist/,
    ],
    ['both sources', () => loadRoleKey('publisher', { path: 'a.json', env: json }), /is ambiguous/],
    ['an empty value', () => loadRoleKey('publisher', { env: '  ', envName: 'K' }), /environment variable K is empty/],
    [
      'a wrong length',
      () =>
        loadRoleKey('publisher', { path: file('short.json', JSON.stringify(Array.from(keypair.secretKey).slice(1))) }),
      /has 63 numbers where a keypair has 64/,
    ],
    [
      'a byte out of range',
      () => loadRoleKey('publisher', { env: JSON.stringify([256, ...Array.from(keypair.secretKey).slice(1)]) }),
      /not an integer from 0 to 255/,
    ],
    [
      'a file that is not JSON',
      () => loadRoleKey('publisher', { path: file('text.json', 'hello') }),
      /is not valid JSON/,
    ],
    [
      'a JSON object',
      () => loadRoleKey('publisher', { env: '{"secretKey":[1,2]}' }),
      /neither a JSON array of 64 numbers nor valid base58/,
    ],
    [
      'a JSON object in a file',
      () => loadRoleKey('publisher', { path: file('object.json', '{"secretKey":[1,2]}') }),
      /is JSON but not an array of 64 numbers/,
    ],
    [
      'bad base58',
      () => loadRoleKey('publisher', { env: `${base58Encode(keypair.secretKey)}0OIl`, envName: 'PUB' }),
      /environment variable PUB is neither a JSON array of 64 numbers nor valid base58/,
    ],
    [
      'base58 of the wrong length',
      () => loadRoleKey('publisher', { env: base58Encode(keypair.secretKey.subarray(0, 32)) }),
      /decodes from base58 to 32 bytes/,
    ],
    [
      'a public half that does not match',
      () => loadRoleKey('publisher', { env: mismatched }),
      /public half does not match its secret half/,
    ],
  ];

  it.each(cases)('rejects %s with a clear message', (_name, run, message) => {
    const error = loadError(run);
    expect(error.message).toMatch(message);
    expect(error.role).toBeDefined();
  });

  it('does not accept base58 from a keypair file, which the CLI always writes as JSON', () => {
    const path = file('base58.json', base58Encode(keypair.secretKey));
    expect(loadError(() => loadRoleKey('publisher', { path })).message).toMatch(/is not valid JSON/);
  });
});
