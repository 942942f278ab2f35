import { type BulkKeccak, createBulkKeccak } from '../fast-keccak.js';
import { buildInThread, type TreeJob } from './levels.js';

/**
 * Fills a tree's node buffer. The in-thread builder works everywhere; `@attention-oracle/core/node` adds one that
 * spreads the hashing over worker threads and hands out shared memory to do it in place.
 */
export interface TreeBuilder {
  /** Zeroed memory the builder can hash into (shared memory for a parallel builder). */
  allocate(byteLength: number): Uint8Array;
  /** Hashes the leaves of `job` (when given) and every level above them. */
  build(job: TreeJob): Promise<void>;
}

let hasher: Promise<BulkKeccak> | undefined;

/** The default builder: the bulk hasher in the calling thread. */
export const inThreadBuilder: TreeBuilder = {
  allocate: (byteLength) => new Uint8Array(byteLength),
  async build(job) {
    hasher ??= createBulkKeccak();
    buildInThread(job, await hasher);
  },
};
