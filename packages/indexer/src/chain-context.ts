// Everything the roots, publishing and settlement code needs to know about the chain, resolved once from the
// configuration: the RPC client, program, mint, settlement mode, treasury, leaf format and role keys.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ATTENTION_ORACLE_PROGRAM_ID,
  createRpcClient,
  findAssociatedTokenAddress,
  findDefaultTreasuryAddress,
  type RpcClient,
} from '@attention-oracle/sdk';
import { loadRoleKey, type RoleKey } from '@attention-oracle/sdk/node';
import { PublicKey } from '@solana/web3.js';
import { localChainKeyPaths } from './chain/bootstrap.js';
import { readKeypairFile } from './chain/keypair-file.js';
import type { IndexerEnv } from './env.js';

/** The resolved chain configuration. Keys are loaded only for the roles this process needs. */
export interface ChainContext {
  readonly client: RpcClient;
  readonly rpcUrls: readonly string[];
  readonly programId: PublicKey;
  readonly mint: PublicKey;
  /** `merkle` when the program is deployed (or configured so), `direct` otherwise. */
  readonly settlement: 'merkle' | 'direct';
  /** Why this settlement mode, in words, for logs and the operator. */
  readonly settlementReason: string;
  /** The token account claims are paid from. */
  readonly treasury: PublicKey;
  readonly leafVersion: 'v4' | 'v5';
  /** The publisher key, or `external` when publishes are signed elsewhere; undefined when not loaded. */
  readonly publisher: RoleKey | 'external' | undefined;
  readonly treasuryAuthority: RoleKey | undefined;
}

/** Which role keys to load. */
export interface ChainContextOptions {
  /** Load the publisher key (in merkle mode only: direct mode never publishes). */
  publisher?: boolean;
  treasuryAuthority?: boolean;
  /** For tests: use this client instead of one built from SOLANA_RPC_URL. */
  client?: RpcClient;
}

/**
 * Resolves the chain configuration. Without `MINT` and role key settings, a local chain's data folder
 * (`DATA_DIR/chain`, as `pnpm chain` writes it) supplies the mint and keys.
 *
 * @throws Error naming the missing setting (SOLANA_RPC_URL, MINT, a role key).
 * @example
 * const chain = await resolveChainContext(loadEnv(), { publisher: true });
 * console.log(`settlement ${chain.settlement}: ${chain.settlementReason}`);
 */
export async function resolveChainContext(env: IndexerEnv, options: ChainContextOptions = {}): Promise<ChainContext> {
  if (!options.client && env.SOLANA_RPC_URL.length === 0) {
    throw new Error('SOLANA_RPC_URL is not set: point it at a cluster, or run `pnpm chain` and use its URL');
  }
  const client = options.client ?? createRpcClient({ urls: env.SOLANA_RPC_URL });
  const local = localChainKeyPaths(join(env.DATA_DIR, 'chain'));
  const programId = env.ATTENTION_ORACLE_PROGRAM_ID
    ? new PublicKey(env.ATTENTION_ORACLE_PROGRAM_ID)
    : ATTENTION_ORACLE_PROGRAM_ID;
  let mint: PublicKey;
  if (env.MINT) mint = new PublicKey(env.MINT);
  else if (existsSync(local.mint)) mint = readKeypairFile(local.mint).publicKey;
  else throw new Error(`MINT is not set and there is no local chain in ${join(env.DATA_DIR, 'chain')} to take it from`);

  const key = (
    role: 'publisher' | 'treasury-authority',
    path: string | undefined,
    value: string | undefined,
    name: string,
    localPath: string,
  ) =>
    loadRoleKey(
      role,
      path === undefined && value === undefined && existsSync(localPath)
        ? { path: localPath }
        : { path, env: value, envName: name },
    );
  const program = await client.call<{ value: { executable: boolean } | null }>('getAccountInfo', [
    programId.toBase58(),
    { encoding: 'base64', dataSlice: { offset: 0, length: 0 } },
  ]);
  const deployed = program.value?.executable === true;
  let settlement: 'merkle' | 'direct';
  let settlementReason: string;
  if (env.SETTLEMENT === 'auto') {
    settlement = deployed ? 'merkle' : 'direct';
    settlementReason = deployed
      ? `the Attention Oracle program is deployed at ${programId.toBase58()}`
      : `no Attention Oracle program is deployed at ${programId.toBase58()} on this chain`;
  } else {
    settlement = env.SETTLEMENT;
    settlementReason = `SETTLEMENT=${env.SETTLEMENT}`;
  }
  const publisher =
    !options.publisher || settlement === 'direct'
      ? undefined
      : env.PUBLISH_SIGNER === 'external'
        ? 'external'
        : key('publisher', env.PUBLISHER_KEYPAIR_PATH, env.PUBLISHER_KEYPAIR, 'PUBLISHER_KEYPAIR', local.publisher);

  const treasuryAuthority =
    options.treasuryAuthority || (settlement === 'direct' && !env.TREASURY_ACCOUNT)
      ? key(
          'treasury-authority',
          env.TREASURY_AUTHORITY_KEYPAIR_PATH,
          env.TREASURY_AUTHORITY_KEYPAIR,
          'TREASURY_AUTHORITY_KEYPAIR',
          local.treasuryAuthority,
        )
      : undefined;
  const treasury = env.TREASURY_ACCOUNT
    ? new PublicKey(env.TREASURY_ACCOUNT)
    : settlement === 'merkle'
      ? findDefaultTreasuryAddress({ programId, mint })
      : findAssociatedTokenAddress({ owner: (treasuryAuthority as RoleKey).publicKey, mint });
  return {
    client,
    rpcUrls: env.SOLANA_RPC_URL,
    programId,
    mint,
    settlement,
    settlementReason,
    treasury,
    leafVersion: env.LEAF_VERSION,
    publisher,
    treasuryAuthority,
  };
}

/**
 * Why roots are not published in direct settlement, in words.
 *
 * @example if (chain.settlement === 'direct') log(directSettlementNote(chain));
 */
export function directSettlementNote(chain: Pick<ChainContext, 'settlementReason'>): string {
  return `settlement is direct (${chain.settlementReason}): roots are built and proofs served, not published`;
}
