// The in-memory proof cache: the servable roots' trees, loaded from their stored artifacts and refreshed when the
// roots table changes (a cheap poll), so proofs are answered without touching the database.
import { GlobalRootTree } from '@attention-oracle/core';
import { type DatabaseHandle, type RawQuery, sql } from '@attention-oracle/db';
import { loadRootArtifact, type RootRecord, servableRoots } from '@attention-oracle/indexer';
import type { Logger } from './logger.js';
import { proofJsonHead, type RootFields, rootFields } from './proofs.js';

/** A loaded root: its row as of the last poll, its tree, and the fields every proof answer of it shares. */
export interface CachedRoot {
  readonly record: RootRecord;
  readonly tree: GlobalRootTree;
  /** Encoded once per poll from `record`, not once per proof. */
  readonly fields: RootFields;
  /** `fields` as the start of a JSON proof answer, also once per poll (see proofJson). */
  readonly jsonHead: string;
}

/** The cache of servable trees. */
export interface TreeCache {
  /** The loaded root with this seq, if servable. */
  get(seq: bigint): CachedRoot | undefined;
  /** The newest servable root (highest seq), if any. */
  newest(): CachedRoot | undefined;
  /** Every loaded root, newest first. */
  list(): readonly CachedRoot[];
  /** Re-reads the roots table now and loads any new artifact. */
  refresh(): Promise<void>;
  /** Stops polling. */
  close(): void;
}

/** How the cache finds its roots. */
export interface TreeCacheOptions {
  readonly db: DatabaseHandle;
  /** The mint whose roots are served; null serves none. */
  readonly mint: Uint8Array | null;
  /** Poll interval in ms; 0 disables polling (call refresh yourself). */
  readonly pollMs: number;
  readonly logger: Logger;
  /** Called after each refresh that changed the loaded set. */
  readonly onChange?: (roots: readonly CachedRoot[]) => void;
}

/**
 * Creates the cache and loads it once.
 *
 * @example const trees = await createTreeCache({ db, mint, pollMs: 5000, logger }); trees.newest()?.tree.proofForWallet(w);
 */
export async function createTreeCache(options: TreeCacheOptions): Promise<TreeCache> {
  let loaded: CachedRoot[] = [];
  let running: Promise<void> | null = null;

  const load = async () => {
    if (options.mint === null) return;
    const records = await servableRoots(options.db.query, options.mint);
    const byId = new Map(loaded.map((root) => [root.record.id, root]));
    const next: CachedRoot[] = [];
    let changed = records.length !== loaded.length;
    for (const record of records) {
      const current = byId.get(record.id);
      if (current !== undefined) {
        if (current.record.finalized !== record.finalized || current.record.status !== record.status) changed = true;
        next.push(cachedRoot(record, current.tree));
      } else {
        changed = true;
        next.push(cachedRoot(record, await loadTree(options.db.query, record.id)));
      }
    }
    next.sort((a, b) => (a.record.seq > b.record.seq ? -1 : a.record.seq < b.record.seq ? 1 : 0));
    loaded = next;
    if (changed) {
      options.logger.info({ seqs: next.map((root) => root.record.seq.toString()) }, 'proof cache loaded');
      options.onChange?.(next);
    }
  };
  const refresh = () => {
    running ??= load().finally(() => {
      running = null;
    });
    return running;
  };

  await refresh();
  const timer =
    options.pollMs > 0
      ? setInterval(() => {
          refresh().catch((error: unknown) => options.logger.error({ err: error }, 'proof cache refresh failed'));
        }, options.pollMs)
      : null;
  timer?.unref();

  return {
    get: (seq) => loaded.find((root) => root.record.seq === seq),
    newest: () => loaded[0],
    list: () => loaded,
    refresh,
    close: () => {
      if (timer !== null) clearInterval(timer);
    },
  };
}

function cachedRoot(record: RootRecord, tree: GlobalRootTree): CachedRoot {
  const fields = rootFields(record);
  return { record, tree, fields, jsonHead: proofJsonHead(fields) };
}

/**
 * The tree of root `rootId` from its stored artifact, read one part per query straight into one buffer: the parts and
 * their copy are never all held at once, so loading four 100 MB artifacts leaves far less garbage (and resident
 * memory) behind than reading every part and concatenating them.
 */
async function loadTree(query: RawQuery, rootId: number): Promise<GlobalRootTree> {
  const [size] = await query<{ parts: number; bytes: string }>(sql`
    select count(*)::int as parts, coalesce(sum(length(data)), 0)::text as bytes
    from root_blobs where root_id = ${rootId} and kind = 'artifact'`);
  // No artifact: loadRootArtifact says why in its own words.
  if (size === undefined || size.parts === 0) return loadRootArtifact(query, rootId);
  const artifact = new Uint8Array(Number(size.bytes));
  let at = 0;
  for (let part = 0; part < size.parts; part++) {
    const [row] = await query<{ data: Uint8Array }>(sql`
      select data from root_blobs where root_id = ${rootId} and kind = 'artifact' and part = ${part}`);
    if (row === undefined || at + row.data.length > artifact.length) {
      throw new Error(`root ${rootId}'s artifact is missing part ${part + 1} of ${size.parts}`);
    }
    artifact.set(row.data, at);
    at += row.data.length;
  }
  return GlobalRootTree.load(artifact);
}
