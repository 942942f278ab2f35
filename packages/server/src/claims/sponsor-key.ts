// The sponsor fee payer's key for claims.sponsor: SPONSOR_KEYPAIR_PATH or SPONSOR_KEYPAIR, else the key a local chain
// (`pnpm chain`) wrote into DATA_DIR/chain; never the publisher's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { localChainKeyPaths } from '@attention-oracle/indexer';
import { loadRoleKey, type RoleKey } from '@attention-oracle/sdk/node';
import type { ServerEnv } from '../env.js';

/**
 * Loads the sponsor fee payer's key, or null when none is configured and no local chain has one. A configured key
 * that is missing or malformed throws a RoleKeyError naming its source (never its bytes).
 *
 * @example const sponsor = loadSponsorKey(env); if (sponsor) console.log(`sponsor ${sponsor.publicKey.toBase58()}`);
 */
export function loadSponsorKey(env: ServerEnv): RoleKey | null {
  const { keypairPath, keypair } = env.sponsor;
  if (keypairPath !== undefined || keypair !== undefined) {
    return loadRoleKey('sponsor-fee-payer', { path: keypairPath, env: keypair, envName: 'SPONSOR_KEYPAIR' });
  }
  const local = localChainKeyPaths(join(env.indexer.DATA_DIR, 'chain')).sponsorFeePayer;
  return existsSync(local) ? loadRoleKey('sponsor-fee-payer', { path: local }) : null;
}
