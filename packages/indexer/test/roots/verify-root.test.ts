import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildGlobalRootTree,
  datasetHash,
  encodeDataset,
  globalLeavesFromEntries,
  keccak256,
} from '@attention-oracle/core';
import {
  ATTENTION_ORACLE_PROGRAM_ID,
  createRpcClient,
  encodeGlobalRootConfig,
  findGlobalRootConfigPda,
  type RootEntry,
} from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalChain, startLocalChain } from '../../src/chain/index.js';
import { verifyRootAgainstChain } from '../../src/roots/verify-root.js';

const mint = keccak256('verify-root mint');
const empty: RootEntry = { seq: 0n, root: new Uint8Array(32), datasetHash: new Uint8Array(32), publishedSlot: 0n };

describe('verify-root against the chain', () => {
  let chain: LocalChain;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ao-verify-root-'));
    chain = await startLocalChain({ dataDir: dir, bootstrap: false });
  });
  afterAll(async () => {
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const publish = (rootSeq: bigint, root: Uint8Array, hash: Uint8Array) => {
    const { address, bump } = findGlobalRootConfigPda({ mint: new PublicKey(mint) });
    const roots: RootEntry[] = [empty, empty, empty, empty];
    roots[Number(rootSeq % 4n)] = { seq: rootSeq, root, datasetHash: hash, publishedSlot: 9n };
    const data = encodeGlobalRootConfig({
      version: 1,
      bump,
      mint: new PublicKey(mint),
      latestRootSeq: rootSeq,
      roots: roots as [RootEntry, RootEntry, RootEntry, RootEntry],
    });
    chain.ledger.setAccounts([
      {
        address: address.toBase58(),
        lamports: '10000000',
        owner: ATTENTION_ORACLE_PROGRAM_ID.toBase58(),
        executable: false,
        data: Buffer.from(data).toString('base64'),
      },
    ]);
  };

  it('accepts the published dataset and names every mismatch of a different one', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({
      wallet: keccak256(`w${i}`),
      cumulativeTotal: BigInt(i + 1),
    }));
    const tree = await buildGlobalRootTree({ mint, rootSeq: 7n, leaves: globalLeavesFromEntries('v4', entries) });
    const file = encodeDataset(tree);
    const client = createRpcClient({ urls: [chain.url] });
    expect((await verifyRootAgainstChain(file, client)).problems).toEqual([
      expect.stringContaining('the global root is not initialized'),
    ]);
    publish(7n, tree.root, await datasetHash(file));
    const good = await verifyRootAgainstChain(file, client);
    expect(good).toMatchObject({ ok: true, problems: [], latestRootSeq: 7n });

    const entriesChanged = entries.map((e, i) => (i === 3 ? { ...e, cumulativeTotal: 999n } : e));
    const other = encodeDataset(
      await buildGlobalRootTree({ mint, rootSeq: 7n, leaves: globalLeavesFromEntries('v4', entriesChanged) }),
    );
    const bad = await verifyRootAgainstChain(other, client);
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([expect.stringMatching(/^root: /), expect.stringMatching(/^dataset_hash: /)]);

    publish(12n, tree.root, await datasetHash(file)); // seq 7 has rotated out of the four-root window
    expect((await verifyRootAgainstChain(file, client)).problems).toEqual([
      "root_seq 7 is not among the chain's four servable roots (latest is 12): it cannot be compared on chain",
    ]);
  });
});
