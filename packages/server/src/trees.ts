// The in-memory proof cache: the servable roots' trees, loaded from their stored artifacts and refreshed when the
// roots table changes (a cheap poll), so proofs are answered without touching the database.
import type { GlobalRootTree } from '@attention-oracle/core';
import type { DatabaseHandle } from '@attention-oracle/db';
import { loadRootArtifact, type RootRecord, servableRoots } from '@attention-oracle/indexer';
import type { Logger } from './logger.js';

/** A loaded root: its row as of the last poll, and its tree. */
export interface CachedRoot {
  readonly record: RootRecord;
  readonly tree: GlobalRootTree;
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
        next.push({ record, tree: current.tree });
      } else {
        changed = true;
        next.push({ record, tree: await loadRootArtifact(options.db.query, record.id) });
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
