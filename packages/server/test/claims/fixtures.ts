// Shared setup of the claims tests: roots published on the local program and stored as the tree-build job stores
// them, a server on that chain, and the pieces of a claim a wallet signs itself.
import { buildGlobalRootTree, type GlobalRootTree, globalLeavesFromEntries } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { resolveChainContext, writeRootBlob } from '@attention-oracle/indexer';
import { getPublishGlobalRootInstruction } from '@attention-oracle/sdk';
import { Transaction, VersionedTransaction } from '@solana/web3.js';
import { latestRootSeq, type ProgramFixture, send } from '../../../indexer/test/program/program-fixture.js';
import { createLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { testEnv } from '../helpers.js';

/** One token in base units (9 decimals). */
export const TOKEN = 1_000_000_000n;

/** Empties what the claims tests write. */
export async function resetClaimTables(db: DatabaseHandle): Promise<void> {
  await db.query(sql`truncate roots, root_blobs, audit_log, claims, wallet_totals`);
}

/**
 * Builds a V4 tree over `entries` at the program's next seq, publishes it as the publisher, and stores it as the
 * tree-build job would (status published, artifact blob); returns the tree.
 */
export async function publishServedRoot(
  db: DatabaseHandle,
  f: ProgramFixture,
  entries: readonly { wallet: Uint8Array; cumulativeTotal: bigint }[],
): Promise<GlobalRootTree> {
  const rootSeq = (await latestRootSeq(f)) + 1n;
  const mint = f.config.mint.toBytes();
  const tree = await buildGlobalRootTree({ mint, rootSeq, leaves: globalLeavesFromEntries('v4', [...entries]) });
  const signature = await send(
    f,
    [
      getPublishGlobalRootInstruction(
        { payer: f.publisher.publicKey, rootSeq, root: tree.root, datasetHash: new Uint8Array(32) },
        f.config,
      ),
    ],
    [f.publisher],
  );
  const status = (await f.connection.getSignatureStatus(signature, { searchTransactionHistory: true })).value;
  const total = entries.reduce((sum, e) => sum + e.cumulativeTotal, 0n);
  const [row] = await db.query<{ id: string }>(sql`insert into roots (mint, seq, leaf_version, root, dataset_hash,
      wallets, total, ledger_mark, status, publish_signature, publish_slot, published_at, finalized)
    values (${mint}, ${rootSeq.toString()}::bigint, 'v4', ${tree.root}, ${new Uint8Array(32)}, ${entries.length}::int,
      ${total.toString()}::numeric, 'test', 'published', ${signature}, ${String(status?.slot ?? 0)}::bigint, now(), false)
    returning id::text as id`);
  await writeRootBlob(db.query, Number(row?.id), 'artifact', await tree.dump());
  return tree;
}

/** Starts a server on the fixture's program (merkle settlement) with `extra` settings. */
export async function startClaimsServer(
  db: DatabaseHandle,
  f: ProgramFixture,
  extra: Record<string, string> = {},
): Promise<RunningServer> {
  const env = testEnv({
    SOLANA_RPC_URL: f.chain.url,
    MINT: f.config.mint.toBase58(),
    ATTENTION_ORACLE_PROGRAM_ID: f.config.programId.toBase58(),
    SETTLEMENT: 'merkle',
    ...extra,
  });
  const chain = await resolveChainContext(env.indexer, { client: f.client });
  return startServer({ db, env, chain, port: 0, logger: createLogger('silent') });
}

/** The transaction claims.prepare returned, decoded for signing. */
export function decodePrepared(prepared: { transaction: string; version: 'legacy' | 'v0' }) {
  const bytes = Buffer.from(prepared.transaction, 'base64');
  return prepared.version === 'v0' ? VersionedTransaction.deserialize(bytes) : Transaction.from(bytes);
}
