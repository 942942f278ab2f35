// Shared setup of the roots and chain-watch suites: both database backends with the ledger and roots tables emptied
// before each test, wallets, totals, and a fake chain per test.
import { keccak256 } from '@attention-oracle/core';
import { type DatabaseHandle, sql } from '@attention-oracle/db';
import { TEST_BACKENDS } from '@attention-oracle/db/testing';
import { createRpcClient, type RpcClient } from '@attention-oracle/sdk';
import { RoleKey } from '@attention-oracle/sdk/node';
import { PublicKey } from '@solana/web3.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { FakeChainServer } from './fake-chain-server.js';

/** Every backend the SQL must work on, for describe.each. */
export const backends = TEST_BACKENDS;

/** Opens the database once for the suite and empties the ledger, roots and chain tables before each test. */
export function useRootsDatabase(open: (typeof TEST_BACKENDS)[number][1]): () => DatabaseHandle {
  let handle: DatabaseHandle | undefined;
  let drop = async () => {};
  beforeAll(async () => {
    ({ handle, drop } = await open());
  });
  afterAll(() => drop());
  beforeEach(async () => {
    await handle?.query(sql`truncate wallet_totals, wallet_credits, external_credits, external_credit_imports, roots,
      root_blobs, chain_claims, chain_root_events, chain_cursors, alarms, audit_log`);
  });
  return () => {
    if (handle === undefined) throw new Error('database not open yet');
    return handle;
  };
}

/** Wallet n: n big-endian in the first 4 bytes (so wallets sort by n), the rest from a hash. */
export function wallet(n: number): Uint8Array {
  const w = keccak256(`wallet ${n}`);
  new DataView(w.buffer, w.byteOffset).setUint32(0, n, false);
  return w;
}

/** Sets wallet_totals (inserting or raising; totals never go down). */
export async function setTotals(db: DatabaseHandle, totals: readonly [number, bigint][]): Promise<void> {
  for (const [n, total] of totals) {
    await db.query(sql`insert into wallet_totals (wallet, total) values (${wallet(n)}, ${total.toString()}::numeric)
      on conflict (wallet) do update set total = excluded.total, updated_at = now()`);
  }
}

/** Records a V5 base-yield import for `rootSeq`, as the ledger's importer would. */
export async function importYields(db: DatabaseHandle, rootSeq: bigint, yields: readonly [number, bigint][]) {
  for (const [n, baseYield] of yields) {
    await db.query(sql`insert into external_credits (root_seq, wallet, base_yield)
      values (${rootSeq.toString()}::bigint, ${wallet(n)}, ${baseYield.toString()}::numeric)`);
  }
  const total = yields.reduce((sum, [, y]) => sum + y, 0n);
  await db.query(sql`insert into external_credit_imports (root_seq, source, file_hash, wallets, total, imported_by)
    values (${rootSeq.toString()}::bigint, 'test', ${`hash-${rootSeq}`}, ${yields.length}, ${total.toString()}::numeric, 'test')`);
}

/** The test mint and program. */
export const MINT = new PublicKey(keccak256('roots test mint'));
export const PROGRAM_ID = new PublicKey(keccak256('roots test program'));

/** A fake chain per test (latest 0 unless `latest` says otherwise), its client, and the publisher key. */
export function useFakeChain(options: { latest?: bigint | null } = {}) {
  const publisher = RoleKey.generate('publisher');
  let chain: FakeChainServer | undefined;
  let client: RpcClient | undefined;
  beforeEach(async () => {
    chain = await new FakeChainServer({
      programId: PROGRAM_ID,
      mint: MINT,
      publisher: publisher.publicKey,
      latest: options.latest,
    }).start();
    client = createRpcClient({ urls: [chain.url], timeoutMs: 500, retries: 1, backoffBaseMs: 1, backoffMaxMs: 5 });
  });
  afterEach(() => chain?.close());
  return {
    publisher,
    chain: () => must(chain, 'the fake chain'),
    client: () => must(client, 'the RPC client'),
  };
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}`);
  return value;
}
