// Where the sponsor fee payer's key comes from: SPONSOR_KEYPAIR_PATH, SPONSOR_KEYPAIR, or a local chain's data folder;
// none configured turns sponsoring off with a clear reason, and a broken one does so without leaking its source.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localChainKeyPaths } from '@attention-oracle/indexer';
import { RoleKeyError } from '@attention-oracle/sdk/node';
import { Keypair } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { loadSponsorKey } from '../../src/claims/sponsor-key.js';
import { createClaimsState } from '../../src/claims/state.js';
import { createLogger } from '../../src/logger.js';
import { testEnv } from '../helpers.js';

const keyFile = (keypair: Keypair, path: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, JSON.stringify(Array.from(keypair.secretKey)));
  return path;
};

describe('the sponsor key', () => {
  it('is null when nothing is configured and DATA_DIR has no local chain', () => {
    expect(loadSponsorKey(testEnv())).toBeNull();
  });

  it('loads from SPONSOR_KEYPAIR_PATH, from SPONSOR_KEYPAIR, and from DATA_DIR/chain as `pnpm chain` writes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ao-sponsor-'));
    const fromPath = Keypair.generate();
    const path = keyFile(fromPath, join(dir, 'sponsor.json'));
    expect(loadSponsorKey(testEnv({ SPONSOR_KEYPAIR_PATH: path }))?.publicKey.toBase58()).toBe(
      fromPath.publicKey.toBase58(),
    );
    const fromEnv = Keypair.generate();
    const env = testEnv({ SPONSOR_KEYPAIR: JSON.stringify(Array.from(fromEnv.secretKey)) });
    expect(loadSponsorKey(env)?.publicKey.toBase58()).toBe(fromEnv.publicKey.toBase58());

    const local = Keypair.generate();
    const dataDir = mkdtempSync(join(tmpdir(), 'ao-sponsor-data-'));
    keyFile(local, localChainKeyPaths(join(dataDir, 'chain')).sponsorFeePayer);
    expect(loadSponsorKey(testEnv({ DATA_DIR: dataDir }))?.publicKey.toBase58()).toBe(local.publicKey.toBase58());
  });

  it('refuses both sources at once, and a broken key turns sponsoring off without naming its source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ao-sponsor-'));
    const path = keyFile(Keypair.generate(), join(dir, 'sponsor.json'));
    const both = testEnv({ SPONSOR_KEYPAIR_PATH: path, SPONSOR_KEYPAIR: '[1,2,3]' });
    expect(() => loadSponsorKey(both)).toThrow(RoleKeyError);

    const broken = testEnv({ SPONSOR_KEYPAIR_PATH: join(dir, 'missing.json') });
    const state = createClaimsState({ env: broken, logger: createLogger('silent') }).sponsor();
    expect(state).toEqual({
      key: null,
      reason: 'the sponsor fee payer key is misconfigured: sponsored claims are off',
    });
    expect(createClaimsState({ env: testEnv(), logger: createLogger('silent') }).sponsor()).toEqual({
      key: null,
      reason:
        'no sponsor fee payer key is configured (SPONSOR_KEYPAIR_PATH or SPONSOR_KEYPAIR): sponsored claims are off',
    });
  });
});
