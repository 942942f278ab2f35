// What a server replica loads: the stored tree of a root (or its dataset), and which roots to serve.
import { GlobalRootTree } from '@attention-oracle/core';
import { type RawQuery, sql } from '@attention-oracle/db';
import { readRootBlob, readRootDataset } from './root-blobs.js';
import { type RootRecord, requireRootId, selectRoots } from './root-rows.js';

/**
 * The tree of root `rootId` from its stored artifact (checksummed and checked against its header by core).
 *
 * @throws Error when the root has no artifact (superseded, imported, or older than the four newest published).
 * @example const tree = await loadRootArtifact(db.query, rootId); tree.proofForWallet(wallet);
 */
export async function loadRootArtifact(query: RawQuery, rootId: number): Promise<GlobalRootTree> {
  const artifact = await readRootBlob(query, requireRootId(rootId), 'artifact');
  if (artifact === null) {
    throw new Error(
      `root ${rootId} has no stored tree artifact: it is superseded, imported, or older than the four newest published roots`,
    );
  }
  return GlobalRootTree.load(artifact);
}

/**
 * The dataset file of root `rootId` (uncompressed).
 *
 * @throws Error when the root has no stored dataset.
 * @example const file = await loadRootDataset(db.query, rootId); await verifyDataset(file);
 */
export async function loadRootDataset(query: RawQuery, rootId: number): Promise<Uint8Array> {
  const dataset = await readRootDataset(query, requireRootId(rootId));
  if (dataset === null) throw new Error(`root ${rootId} has no stored dataset (it was superseded before publishing)`);
  return dataset;
}

/**
 * The roots of `mint` a server replica serves proofs for, newest first: the four most recent published ones, or, when
 * nothing was ever published, the newest root that cannot be published on this chain (status 'unpublished').
 *
 * @example for (const root of await servableRoots(db.query, mint)) trees.set(root.seq, await loadRootArtifact(db.query, root.id));
 */
export async function servableRoots(query: RawQuery, mint: Uint8Array): Promise<RootRecord[]> {
  const published = await selectRoots(query, sql`mint = ${mint} and status = 'published'`, sql`roots.seq desc`, 4);
  if (published.length > 0) return published;
  return selectRoots(query, sql`mint = ${mint} and status = 'unpublished'`, sql`id desc`, 1);
}
