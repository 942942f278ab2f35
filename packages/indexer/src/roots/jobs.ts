// The handlers of the tree-build, root-publish and chain-watch jobs, shaped as their contracts' results.
import type { LeafVersion, TreeBuilder } from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import type { RpcClient } from '@attention-oracle/sdk';
import type { RoleKey } from '@attention-oracle/sdk/node';
import type { PublicKey } from '@solana/web3.js';
import { watchChain } from '../chain-watch/watch.js';
import type { JobResult } from '../jobs/contracts.js';
import { NonRetryableJobError } from '../jobs/errors.js';
import { buildRoot } from './build.js';
import { publishRoot } from './publish.js';
import { type RootRecord, selectRoots } from './root-rows.js';

/** What the root jobs need: the chain, the mint and program, the leaf format and (for publishing) the signer. */
export interface RootJobContext {
  readonly db: DatabaseHandle;
  readonly client: Pick<RpcClient, 'call' | 'batch'>;
  readonly programId: PublicKey;
  readonly mint: PublicKey;
  readonly leafVersion: LeafVersion;
  /** The publisher key, or 'external' for an external signer; publishing without one fails for good. */
  readonly publisher?: RoleKey | 'external' | undefined;
  readonly builder?: TreeBuilder;
  /** sendAndConfirm's status poll interval for publishes (default 500 ms). */
  readonly pollEveryMs?: number;
}

/**
 * tree-build: builds the next root unless one awaits publishing or nothing changed.
 *
 * @example queue.work('tree-build', () => treeBuildJob(context));
 */
export async function treeBuildJob(context: RootJobContext): Promise<JobResult<'tree-build'>> {
  const result = await buildRoot(context.db, context);
  return result.built
    ? { rootId: result.rootId, seq: result.seq.toString(), skipped: null }
    : { rootId: result.rootId, seq: result.seq.toString(), skipped: result.skipped };
}

/**
 * root-publish: publishes root `rootId` or records where it stands. RPC faults throw (the queue retries).
 *
 * @example queue.work('root-publish', ({ rootId }) => rootPublishJob(context, rootId));
 */
export async function rootPublishJob(context: RootJobContext, rootId: number): Promise<JobResult<'root-publish'>> {
  const { publisher } = context;
  if (publisher === undefined) {
    throw new NonRetryableJobError(
      'root-publish needs the publisher: set PUBLISHER_KEYPAIR_PATH or PUBLISHER_KEYPAIR, or PUBLISH_SIGNER=external',
    );
  }
  const result = await publishRoot(context.db, {
    client: context.client,
    rootId,
    programId: context.programId,
    signer: publisher === 'external' ? { external: true } : publisher,
    builder: context.builder,
    pollEveryMs: context.pollEveryMs,
  });
  return { status: result.status, signature: result.signature };
}

/**
 * chain-watch: records the program's events since the cursor and marks finalized roots.
 *
 * @example queue.work('chain-watch', () => chainWatchJob(context));
 */
export async function chainWatchJob(context: RootJobContext): Promise<JobResult<'chain-watch'>> {
  const result = await watchChain(context.db, {
    client: context.client,
    programId: context.programId,
    mint: context.mint,
  });
  return { transactions: result.transactions, claims: result.claims, roots: result.roots };
}

/**
 * The roots of `mint` a publish job should look at again: built, awaiting an external signature (to see it land), or
 * stopped by an alarm (an operator may have imported the dataset it waits for).
 *
 * @example for (const root of await pendingPublishes(db.query, mint)) await queue.add('root-publish', jobIdFor('root-publish', root.seq.toString(), root.id, bucket), { rootId: root.id });
 */
export async function pendingPublishes(query: RawQuery, mint: PublicKey): Promise<RootRecord[]> {
  return selectRoots(query, sql`mint = ${mint.toBytes()} and status in ('built', 'awaiting-signature', 'alarm')`);
}
