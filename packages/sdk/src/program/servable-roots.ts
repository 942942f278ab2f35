import { requireU64 } from '@attention-oracle/core';
import { type GlobalRootConfig, ROOT_HISTORY_LENGTH, type RootEntry } from './global-root-config.js';

/**
 * The roots claims can be made against right now: entries with seq > 0 within `latest - 3 ..= latest`, newest
 * first. A slot holding an older seq has been superseded in spirit even if the ring has not overwritten it yet.
 *
 * @example
 * const [newest] = servableRoots(decodeGlobalRootConfig(data)); // serve proofs for newest.seq
 */
export function servableRoots(config: GlobalRootConfig): RootEntry[] {
  const oldest = config.latestRootSeq - BigInt(ROOT_HISTORY_LENGTH - 1);
  return (
    config.roots
      // The slot check mirrors the program's lookup, so a hand-built config with a misplaced entry is not served.
      .filter((e) => e.seq <= config.latestRootSeq && e.seq >= oldest && isRootServable(config, e.seq))
      .sort((a, b) => (a.seq > b.seq ? -1 : a.seq < b.seq ? 1 : 0))
  );
}

/**
 * Whether a claim against `rootSeq` can pass the program's root check: `roots[rootSeq % 4].seq == rootSeq`
 * (otherwise it fails with RootTooOldOrMissing). Seq 0 is never servable: it is the empty slot's seq, not a root.
 *
 * @example
 * if (!isRootServable(config, proof.rootSeq)) refetchProofForLatestRoot();
 */
export function isRootServable(config: GlobalRootConfig, rootSeq: bigint): boolean {
  requireU64(rootSeq, 'rootSeq');
  const entry = config.roots[Number(rootSeq % BigInt(ROOT_HISTORY_LENGTH))];
  return rootSeq > 0n && entry !== undefined && entry.seq === rootSeq;
}
