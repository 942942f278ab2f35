// The roots commands end to end on the local chain, where no Attention Oracle program is deployed: roots are built
// and served, publishing says plainly why it does not happen, and datasets round-trip through files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetHash, parseDataset, toHex } from '@attention-oracle/core';
import { ATTENTION_ORACLE_PROGRAM_ID, createRpcClient } from '@attention-oracle/sdk';
import { loadRoleKey } from '@attention-oracle/sdk/node';
import { describe, expect, it } from 'vitest';
import { readGlobalRootConfig } from '../../src/roots/chain-state.js';
import {
  chainWatchOnce,
  parseRootRef,
  type RootsCommandContext,
  rootsBuild,
  rootsExport,
  rootsInspect,
  rootsList,
  rootsPublish,
} from '../../src/roots/commands.js';
import { loadRootArtifact, servableRoots } from '../../src/roots/load.js';
import { must, tempDir, useLocalChain } from '../chain/helpers.js';
import { backends, setTotals, useRootsDatabase, wallet } from './fixtures.js';

const { chain } = useLocalChain({ bootstrap: { program: false } });

describe.each(backends)('roots commands on the local chain (%s)', (_name, open) => {
  const db = useRootsDatabase(open);
  const context = (lines: string[]): RootsCommandContext => {
    const accounts = must(chain().accounts, 'bootstrapped accounts');
    return {
      db: db(),
      client: createRpcClient({ urls: [chain().url] }),
      programId: ATTENTION_ORACLE_PROGRAM_ID,
      mint: accounts.mint,
      leafVersion: 'v4',
      publisher: loadRoleKey('publisher', { path: accounts.keyPaths.publisher }),
      log: (line) => lines.push(line),
    };
  };

  it('builds and serves a root; publishing reports that no program is deployed; export writes its dataset', async () => {
    const lines: string[] = [];
    const ctx = context(lines);
    expect(await readGlobalRootConfig(ctx.client, { programId: ctx.programId, mint: ctx.mint })).toBeNull();
    await setTotals(db(), [
      [1, 10n],
      [2, 25n],
    ]);
    await rootsBuild(ctx);
    expect(lines[0]).toMatch(/^built root id \d+: seq 1, 2 wallets, total 35, root 0x[0-9a-f]{64}$/);

    lines.length = 0;
    expect(await rootsPublish(ctx, {})).toBe('unpublished');
    expect(lines[1]).toBe(
      `no Attention Oracle program is deployed at ${ATTENTION_ORACLE_PROGRAM_ID.toBase58()} on this chain: settlement is direct; roots are built and proofs served, not published`,
    );
    const [served] = await servableRoots(db().query, ctx.mint.toBytes());
    expect(served).toMatchObject({ seq: 1n, status: 'unpublished' });
    const tree = await loadRootArtifact(db().query, served?.id ?? 0);
    expect(tree.proofForWallet(wallet(2))?.entry.cumulativeTotal).toBe(25n);

    // Nothing changed: no new build.
    lines.length = 0;
    await rootsBuild(ctx);
    expect(lines).toEqual([`not built: nothing changed (root id ${served?.id}); next seq 1`]);

    lines.length = 0;
    await rootsList(ctx);
    expect(lines[1]).toMatch(new RegExp(`^${served?.id}\\t1\\tunpublished\\t2\\t35\\t`));

    lines.length = 0;
    await rootsInspect(ctx, parseRootRef('1'));
    expect(lines).toContain(`root 0x${toHex(tree.root)}`);
    expect(lines.at(-1)).toBe('chain: no GlobalRootConfig for this mint (the global root does not exist here)');

    const file = join(tempDir('roots-export-'), 'seq-1.dataset');
    await rootsExport(ctx, { ref: parseRootRef(`id:${served?.id}`), file });
    const bytes = await readFile(file);
    expect(toHex(await datasetHash(bytes))).toBe(toHex(served?.datasetHash ?? new Uint8Array()));
    expect(parseDataset(bytes).rootSeq).toBe(1n);

    lines.length = 0;
    await chainWatchOnce(ctx);
    expect(lines[0]).toMatch(/^chain-watch: 0 transactions/);
  });

  it('reads root references strictly', () => {
    expect(parseRootRef('id:12')).toEqual({ rootId: 12 });
    expect(parseRootRef('12')).toEqual({ seq: 12n });
    expect(() => parseRootRef('id:0')).toThrow('expected a seq (e.g. 12) or a root id (e.g. id:12), got "id:0"');
    expect(() => parseRootRef('-3')).toThrow('got "-3"');
  });
});
