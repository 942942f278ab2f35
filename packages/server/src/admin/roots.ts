// admin.roots: the roots with their status and the active alarms; build the next root now and publish it now, as the
// tree-build and root-publish jobs do, audited with the key as actor.
import { availableParallelism } from 'node:os';
import { createParallelTreeBuilder } from '@attention-oracle/core/node';
import { sql } from '@attention-oracle/db';
import {
  activeAlarms,
  audit,
  type BuildRootResult,
  buildRoot,
  type ChainContext,
  directSettlementNote,
  markUnpublishable,
  publishRoot,
  type RootRecord,
  readRoot,
  selectRoots,
} from '@attention-oracle/indexer';
import { RpcError } from '@attention-oracle/sdk';
import { z } from 'zod';
import type { Context } from '../context.js';
import { fail, ok, type Result, unwrap } from '../errors.js';
import { hex } from '../hex.js';
import { limitInput } from '../inputs.js';
import { router } from '../trpc.js';
import type { AdminCaller } from './procedure.js';
import { adminRoute } from './procedure.js';

const rootOutput = z.object({
  id: z.number().int(),
  seq: z.string(),
  status: z.string(),
  /** Why the status is what it is (an alarm's message, why it is unpublished). */
  reason: z.string().nullable(),
  leafVersion: z.string(),
  root: z.string(),
  datasetHash: z.string(),
  wallets: z.number().int(),
  total: z.string(),
  builtAt: z.string(),
  buildMs: z.number().int().nullable(),
  publishSignature: z.string().nullable(),
  publishSlot: z.string().nullable(),
  publishedAt: z.string().nullable(),
  finalized: z.boolean(),
});

const rootOf = (r: RootRecord): z.infer<typeof rootOutput> => ({
  id: r.id,
  seq: r.seq.toString(),
  status: r.status,
  reason: r.reason,
  leafVersion: r.leafVersion,
  root: hex(r.root),
  datasetHash: hex(r.datasetHash),
  wallets: r.wallets,
  total: r.total.toString(),
  builtAt: r.builtAt.toISOString(),
  buildMs: r.buildMs,
  publishSignature: r.publishSignature,
  publishSlot: r.publishSlot === null ? null : r.publishSlot.toString(),
  publishedAt: r.publishedAt === null ? null : r.publishedAt.toISOString(),
  finalized: r.finalized,
});

const buildOutput = z.object({
  built: z.boolean(),
  /** The root built, or the one that made a build unnecessary. */
  rootId: z.number().int().nullable(),
  seq: z.string(),
  /** Why nothing was built, when nothing was. */
  skipped: z.string().nullable(),
  wallets: z.number().int().nullable(),
  total: z.string().nullable(),
  root: z.string().nullable(),
  buildMs: z.number().nullable(),
  /** Unpublished roots this build replaced. */
  superseded: z.array(z.number().int()),
  /** A note for the operator (e.g. why it will not be published). */
  note: z.string().nullable(),
});

const publishOutput = z.object({
  rootId: z.number().int(),
  seq: z.string(),
  status: z.string(),
  signature: z.string().nullable(),
  slot: z.string().nullable(),
  /** One plain sentence on where the root stands. */
  message: z.string(),
  /** For an external signer: the unsigned publish transaction, base64. */
  unsignedTransaction: z.string().nullable(),
});

const NO_CHAIN = 'no chain configured: roots are built and published against the chain (set SOLANA_RPC_URL)';

/** The chain, or why roots cannot be built or published without one. */
function requireChain(ctx: Context): Result<ChainContext> {
  return ctx.chain === null ? fail('PRECONDITION_FAILED', NO_CHAIN) : ok(ctx.chain);
}

/** An RPC failure as a 503 that says a retry is safe; its text (which names the endpoint) is only logged. */
async function answeringRpcFailures<T>(ctx: Context, what: string, work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (!(error instanceof RpcError)) throw error;
    ctx.logger.warn({ err: error, requestId: ctx.requestId }, `admin ${what}: chain RPC failed`);
    return fail('SERVICE_UNAVAILABLE', `the chain RPC failed during the ${what}; retrying is safe`);
  }
}

/**
 * Builds the next root of the chain's mint now, unless one awaits publishing or nothing changed; the request waits
 * for it. The tree's leaves and subtrees are hashed on worker threads and the database work is asynchronous, but
 * the top tree levels and the dataset encoding run inline on this thread: while they do, other requests wait. That
 * is fine at today's ledger sizes; for the largest, leave building to the tree-build job or `indexer roots build`.
 * In direct settlement the root is built (its proofs are served) and marked unpublished.
 *
 * @example const result = unwrap(await buildRootNow(ctx, ctx.admin));
 */
export async function buildRootNow(ctx: Context, caller: AdminCaller): Promise<Result<z.infer<typeof buildOutput>>> {
  const chain = requireChain(ctx);
  if (!chain.ok) return chain;
  const { client, mint, programId, leafVersion, settlement } = chain.value;
  const builder = await createParallelTreeBuilder({ threads: Math.min(4, availableParallelism()) });
  let result: Result<BuildRootResult>;
  try {
    result = await answeringRpcFailures(ctx, 'build', () =>
      buildRoot(ctx.db, { client, mint, programId, leafVersion, builder }),
    );
  } finally {
    await builder.close();
  }
  if (!result.ok) return result;
  const built = result.value;
  let note: string | null = null;
  if (built.built && settlement === 'direct') {
    note = directSettlementNote(chain.value);
    await markUnpublishable(ctx.db.query, mint.toBytes(), note);
  }
  await audit(ctx.db.query, caller.actor, 'roots.build', `seq ${built.seq}`, {
    built: built.built,
    rootId: built.rootId,
    ...(built.built
      ? { wallets: built.wallets, total: built.total, root: hex(built.root) }
      : { skipped: built.skipped }),
  });
  return ok({
    built: built.built,
    rootId: built.rootId,
    seq: built.seq.toString(),
    skipped: built.built ? null : built.skipped,
    wallets: built.built ? built.wallets : null,
    total: built.built ? built.total.toString() : null,
    root: built.built ? hex(built.root) : null,
    buildMs: built.built ? Math.round(built.ms.total) : null,
    superseded: built.built ? built.superseded : [],
    note,
  });
}

/**
 * Publishes root `rootId` now (default: the newest root waiting to be published), or says where it stands. Refuses
 * without a chain, in direct settlement, and without the publisher (the server's chain context must be resolved with
 * `{ publisher: true }`). An external signer gets the unsigned transaction.
 *
 * @example const answer = unwrap(await publishRootNow(ctx, ctx.admin, undefined));
 */
export async function publishRootNow(
  ctx: Context,
  caller: AdminCaller,
  rootId: number | undefined,
): Promise<Result<z.infer<typeof publishOutput>>> {
  const chain = requireChain(ctx);
  if (!chain.ok) return chain;
  const { client, mint, programId, settlement, publisher } = chain.value;
  if (settlement === 'direct') return fail('PRECONDITION_FAILED', directSettlementNote(chain.value));
  if (publisher === undefined) {
    return fail(
      'PRECONDITION_FAILED',
      'this server has no publisher key: set PUBLISHER_KEYPAIR_PATH or PUBLISHER_KEYPAIR (or PUBLISH_SIGNER=external) and start it with the chain resolved for publishing',
    );
  }
  let root: RootRecord | null;
  if (rootId === undefined) {
    [root = null] = await selectRoots(
      ctx.db.query,
      sql`mint = ${mint.toBytes()} and status in ('built', 'awaiting-signature', 'alarm', 'unpublished')`,
    );
    if (root === null) return fail('PRECONDITION_FAILED', 'nothing to publish: no built root waits (build one first)');
  } else {
    root = await readRoot(ctx.db.query, rootId);
    if (root === null || Buffer.compare(root.mint, mint.toBytes()) !== 0) {
      return fail('NOT_FOUND', `there is no root with id ${rootId} for this mint`);
    }
  }
  const id = root.id;
  const published = await answeringRpcFailures(ctx, 'publish', () =>
    publishRoot(ctx.db, {
      client,
      rootId: id,
      programId,
      signer: publisher === 'external' ? { external: true } : publisher,
    }),
  );
  if (!published.ok) return published;
  const answer = published.value;
  const after = answer.status === 'awaiting-signature' ? await readRoot(ctx.db.query, id) : null;
  await audit(ctx.db.query, caller.actor, 'roots.publish', `root ${id}`, {
    seq: answer.seq,
    status: answer.status,
    signature: answer.signature,
    slot: answer.slot,
    message: answer.message,
  });
  return ok({
    rootId: answer.rootId,
    seq: answer.seq.toString(),
    status: answer.status,
    signature: answer.signature,
    slot: answer.slot === null ? null : answer.slot.toString(),
    message: answer.message,
    unsignedTransaction: after?.unsignedTx ? Buffer.from(after.unsignedTx).toString('base64') : null,
  });
}

/**
 * admin.roots.list, build and publish.
 *
 * @example const built = await client.admin.roots.build.mutate(); await client.admin.roots.publish.mutate({ rootId: built.rootId ?? undefined });
 */
export const adminRootsRouter = router({
  list: adminRoute({
    method: 'GET',
    path: '/roots',
    summary: 'The newest roots of the mint with their status, and the active alarms',
    scopes: ['roots', 'read'],
  })
    .input(z.object({ limit: limitInput(200, 20) }))
    .output(
      z.object({
        roots: z.array(rootOutput),
        alarms: z.array(z.object({ name: z.string(), message: z.string(), raisedAt: z.string() })),
      }),
    )
    .query(async ({ ctx, input }) => {
      const mint = ctx.chain?.mint.toBytes() ?? ctx.mint;
      if (mint === null) return unwrap(fail('PRECONDITION_FAILED', 'no mint configured (set MINT or SOLANA_RPC_URL)'));
      const roots = await selectRoots(ctx.db.query, sql`mint = ${mint}`, sql`id desc`, input.limit);
      const alarms = await activeAlarms(ctx.db.query);
      return {
        roots: roots.map(rootOf),
        alarms: alarms.map((a) => ({ name: a.name, message: a.message, raisedAt: a.raisedAt.toISOString() })),
      };
    }),
  build: adminRoute({
    method: 'POST',
    path: '/roots/build',
    summary: 'Build the next root now (the request waits for the build; the tree is hashed on worker threads)',
    scopes: ['roots'],
  })
    .input(z.object({}).optional())
    .output(buildOutput)
    .mutation(async ({ ctx }) => unwrap(await buildRootNow(ctx, ctx.admin))),
  publish: adminRoute({
    method: 'POST',
    path: '/roots/publish',
    summary: 'Publish a built root now (default: the newest waiting), or say where it stands',
    scopes: ['roots'],
  })
    .input(z.object({ rootId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional() }))
    .output(publishOutput)
    .mutation(async ({ ctx, input }) => unwrap(await publishRootNow(ctx, ctx.admin, input.rootId))),
});
