// Shared test setup: a server on a test database, and roots stored as the tree-build job stores them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  base58Encode,
  buildGlobalRootTree,
  datasetHash,
  encodeDataset,
  globalLeavesFromEntries,
} from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { compressDataset, writeRootBlob } from '@attention-oracle/indexer';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll } from 'vitest';
import { loadServerEnv, type ServerEnv } from '../src/env.js';
import { createLogger } from '../src/logger.js';
import type { AppRouter } from '../src/routers/app.js';
import { type RunningServer, startServer } from '../src/server.js';

/** The origin the test servers allow. */
export const ALLOWED_ORIGIN = 'https://app.example';

/** A server environment for tests: silent logs, no polling, a small body limit. */
export function testEnv(extra: Record<string, string> = {}): ServerEnv {
  return loadServerEnv({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ao-server-')),
    LOG_LEVEL: 'silent',
    CORS_ORIGINS: ALLOWED_ORIGIN,
    MAX_BODY_BYTES: '4096',
    ROOTS_POLL_MS: '3600000',
    ...extra,
  });
}

/** A test mint (32 bytes). */
export const MINT = new Uint8Array(32).fill(7);

/** Wallet number `n` as 32 bytes and base58. */
export function wallet(n: number): { bytes: Uint8Array; base58: string } {
  const bytes = new Uint8Array(32);
  bytes[0] = n & 0xff;
  bytes[1] = (n >> 8) & 0xff;
  bytes[31] = 1;
  return { bytes, base58: base58Encode(bytes) };
}

/** Stores a root with its artifact and dataset, as the tree-build job does; returns its id. */
export async function storeRoot(
  db: DatabaseHandle,
  options: {
    seq: bigint;
    amounts: ReadonlyMap<number, bigint>;
    status?: string;
    finalized?: boolean;
    publishSlot?: bigint;
    /** V5 leaves split each amount into a base yield (a third) and an attention bonus (the rest). Default v4. */
    leafVersion?: 'v4' | 'v5';
  },
): Promise<number> {
  const leafVersion = options.leafVersion ?? 'v4';
  const entries = [...options.amounts].map(([n, cumulativeTotal]) => ({
    wallet: wallet(n).bytes,
    cumulativeTotal,
    baseYield: cumulativeTotal / 3n,
    attentionBonus: cumulativeTotal - cumulativeTotal / 3n,
  }));
  const input = { mint: MINT, rootSeq: options.seq, leaves: globalLeavesFromEntries(leafVersion, entries) };
  const tree = await buildGlobalRootTree(input);
  const dataset = encodeDataset(input);
  const total = entries.reduce((sum, e) => sum + e.cumulativeTotal, 0n);
  const status = options.status ?? 'published';
  const [row] = await db.query<{ id: string }>(sql`insert into roots (mint, seq, leaf_version, root, dataset_hash,
      wallets, total, ledger_mark, status, publish_slot, published_at, finalized)
    values (${MINT}, ${options.seq.toString()}::bigint, ${leafVersion}, ${tree.root}, ${await datasetHash(dataset)},
      ${entries.length}::int, ${total.toString()}::numeric, 'test', ${status},
      ${options.publishSlot === undefined ? null : options.publishSlot.toString()}::bigint,
      case when ${status} = 'published' then now() end, ${options.finalized ?? false})
    returning id::text as id`);
  const id = Number(row?.id);
  await writeRootBlob(db.query, id, 'artifact', await tree.dump());
  await writeRootBlob(db.query, id, 'dataset', await compressDataset(dataset));
  return id;
}

/** Starts a server on `db` without a chain, on a free port. */
export function startTestServer(db: DatabaseHandle, env: ServerEnv = testEnv()): Promise<RunningServer> {
  return startServer({ db, env, chain: null, mint: MINT, port: 0, logger: createLogger('silent') });
}

/** The tRPC error code a call was rejected with (undefined when it succeeded or failed otherwise). */
export async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}

/** The tRPC code and message a call was refused with; throws when it succeeded or failed otherwise. */
export async function refusal(call: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  const error = await call.then(
    () => {
      throw new Error('the call succeeded but was expected to be refused');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw error;
  return { code: (error.data as { code?: string } | undefined)?.code, message: error.message };
}

/** A test server on a suite's database, started once for the suite, with a tRPC client. */
export interface SuiteServer {
  server(): RunningServer;
  client(): ReturnType<typeof createTRPCClient<AppRouter>>;
}

/**
 * Starts a server on `db()` before the suite's tests and closes it after them.
 *
 * @example const { server, client } = useTestServer(db); it('...', () => client().health.live.query());
 */
export function useTestServer(db: () => DatabaseHandle): SuiteServer {
  let running: RunningServer | undefined;
  let trpc: ReturnType<typeof createTRPCClient<AppRouter>> | undefined;
  beforeAll(async () => {
    running = await startTestServer(db());
    trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${running.url}/trpc` })] });
  });
  afterAll(() => running?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test server is not started yet');
    return value;
  };
  return { server: () => started(running), client: () => started(trpc) };
}
