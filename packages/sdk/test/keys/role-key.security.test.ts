// No secret leaks: neither a loaded key (JSON, inspection, string conversion) nor any load error (message, stack,
// inspection) contains the secret in any of its usual spellings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { base58Encode, toHex } from '@attention-oracle/core';
import { Keypair } from '@solana/web3.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRoleKey } from '../../src/keys/load-role-key.js';

const dir = mkdtempSync(join(tmpdir(), 'role-key-leaks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keypair = Keypair.generate();
const secret = keypair.secretKey;
const seed = secret.subarray(0, 32);
const numbers = Array.from(secret);

// Every way the secret (or its seed, or a recognizable run of it) could be spelled in text.
const spellings = [
  base58Encode(secret),
  base58Encode(seed),
  toHex(seed),
  Buffer.from(seed).toString('base64'),
  Buffer.from(secret).toString('base64'),
  numbers.slice(0, 6).join(','),
  numbers.slice(0, 6).join(', '),
  numbers.slice(8, 14).join(','),
];

function expectNoSecret(text: string): void {
  for (const spelling of spellings) expect(text).not.toContain(spelling);
}

function describeError(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    const e = error as Error;
    return [e.message, String(e), e.stack ?? '', inspect(e, { showHidden: true, depth: Infinity }), JSON.stringify(e)];
  }
  throw new Error('expected an error');
}

describe('a loaded role key', () => {
  const key = loadRoleKey('publisher', { env: JSON.stringify(numbers) });

  it('shows only its role and public key', () => {
    const texts = [
      JSON.stringify(key),
      JSON.stringify({ config: { publisher: key } }),
      inspect(key, { showHidden: true, depth: Infinity }),
      inspect({ nested: [key] }, { showHidden: true, depth: Infinity }),
      `${key}`,
      String(key),
      Object.keys(key).join(','),
      JSON.stringify(structuredClone({ ...key })),
    ];
    for (const text of texts) expectNoSecret(text);
    expect(`${key}`).toBe(`publisher key ${keypair.publicKey.toBase58()}`);
    expect(JSON.parse(JSON.stringify(key))).toEqual({ role: 'publisher', publicKey: keypair.publicKey.toBase58() });
    expect(inspect(key)).toContain(keypair.publicKey.toBase58());
    expect('secretKey' in key).toBe(false);
  });
});

describe('load errors', () => {
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const broken = JSON.stringify(numbers).replace(/\]$/, ',]'); // trailing comma: JSON.parse would quote it
  const cases: [string, () => unknown][] = [
    ['JSON with a syntax error', () => loadRoleKey('publisher', { env: broken })],
    ['a file with a syntax error', () => loadRoleKey('publisher', { path: file('broken.json', broken) })],
    ['one number too few', () => loadRoleKey('publisher', { env: JSON.stringify(numbers.slice(0, 63)) })],
    ['one number too many', () => loadRoleKey('publisher', { env: JSON.stringify([...numbers, 1]) })],
    ['a bad entry', () => loadRoleKey('publisher', { env: JSON.stringify([...numbers.slice(0, 63), 'x']) })],
    ['base58 with a bad character', () => loadRoleKey('publisher', { env: `${base58Encode(secret)}0` })],
    ['base58 of the seed alone', () => loadRoleKey('publisher', { env: base58Encode(seed) })],
    ['the secret as hex', () => loadRoleKey('publisher', { env: toHex(secret) })],
    [
      'a mismatched public half',
      () => loadRoleKey('publisher', { env: JSON.stringify([...numbers.slice(0, 32), ...Array(32).fill(1)]) }),
    ],
  ];

  it.each(cases)('%s: the error holds no key material', (_name, run) => {
    for (const text of describeError(run)) expectNoSecret(text);
  });
});
