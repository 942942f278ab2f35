// Roots: building, storing, publishing, importing and verifying global roots.
export {
  type BuildRootOptions,
  type BuildRootResult,
  type BuildTimings,
  buildRoot,
  SKIP_AWAITING_PUBLISH,
  SKIP_NO_WALLETS,
  SKIP_NOTHING_CHANGED,
} from './build.js';
export { isProgramDeployed, noProgramMessage, PUBLISH_COMMITMENT, readGlobalRootConfig } from './chain-state.js';
export {
  chainWatchOnce,
  parseRootRef,
  type RootRef,
  type RootsCommandContext,
  rootsBuild,
  rootsExport,
  rootsImport,
  rootsInspect,
  rootsList,
  rootsPublish,
} from './commands.js';
export {
  type DatasetRef,
  exportDataset,
  type ImportDatasetOptions,
  type ImportDatasetResult,
  importDataset,
} from './datasets.js';
export { chainWatchJob, pendingPublishes, type RootJobContext, rootPublishJob, treeBuildJob } from './jobs.js';
export { chainEntry, chainHolds, findPublishSignature } from './landed.js';
export { loadRootArtifact, loadRootDataset, servableRoots } from './load.js';
export { checkMonotonicTotals, type DecreasedTotal, type MonotonicTotalsResult } from './monotonic-totals.js';
export { phaseProgress, type RootProgress, type RootProgressEvent } from './progress.js';
export { type PublishRootOptions, type PublishRootResult, type PublishSigner, publishRoot } from './publish.js';
export {
  decidePublish,
  type PublishAlarmReason,
  type PublishDecision,
  type PublishDecisionInput,
} from './publish-decision.js';
export { publishTransaction, unsignedWireBytes } from './publish-transaction.js';
export {
  applyBlobRetention,
  BLOB_PART_BYTES,
  compressDataset,
  type RootBlobKind,
  readRootBlob,
  readRootDataset,
  writeRootBlob,
} from './root-blobs.js';
export {
  markRootPublished,
  markUnpublishable,
  type RootRecord,
  type RootStatus,
  readRoot,
  requireRootId,
  selectRoots,
  setRootStatus,
  systemRoots,
} from './root-rows.js';
export { type RootVerification, verifyRootAgainstChain } from './verify-root.js';
