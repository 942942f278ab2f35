// The public surface of @attention-oracle/core. Everything here is pure: no I/O, browser-safe.
export { base58Decode, base58Encode } from './base58.js';
export {
  compareBytes,
  concatBytes,
  equalBytes,
  fromHex,
  readU64LE,
  requireU64,
  toHex,
  U64_MAX,
  writeU64LE,
} from './bytes.js';
export {
  type DatasetVerification,
  datasetHash,
  encodeDataset,
  parseDataset,
  verifyDataset,
} from './dataset.js';
export {
  type CollectorWatermark,
  DEFAULT_EPOCH_SECONDS,
  epochEnd,
  epochOf,
  epochsBetween,
  isEpochStart,
  MAX_EPOCHS_BETWEEN,
  requireEpoch,
  requireEpochLength,
  type SealReadiness,
  type SealReadinessInput,
  sealReadiness,
} from './epoch.js';
export { InvalidArgumentError, InvariantError } from './errors.js';
export { type BulkKeccak, createBulkKeccak } from './fast-keccak.js';
export { channelSubject, legacyLoginKey, parseLogin, parseTwitchUserId, userKey } from './identity.js';
export { keccak256 } from './keccak.js';
export {
  encodeGlobalV4Leaf,
  encodeGlobalV5Leaf,
  globalV4LeafHash,
  globalV5LeafHash,
  LEAF_PREIMAGE_BYTES,
  type LeafVersion,
} from './leaf.js';
export { ARTIFACT_FORMAT } from './merkle/artifact.js';
export { inThreadBuilder, type TreeBuilder } from './merkle/builder.js';
export {
  type GlobalEntry,
  type GlobalEntryInput,
  type GlobalLeaves,
  globalEntryAt,
  globalLeavesFromEntries,
} from './merkle/global-leaves.js';
export { buildGlobalRootTree, type GlobalRootInput, GlobalRootTree, type WalletProof } from './merkle/global-tree.js';
export { MAX_LEAVES, type TreeLayout, treeLayout } from './merkle/layout.js';
export type { GlobalLeafInput, TreeJob } from './merkle/levels.js';
export { buildMerkleTree, MerkleTree } from './merkle/tree.js';
export { hashPair, MAX_PROOF_LENGTH, processProof, verifyProof } from './merkle/verify.js';
export * from './policy/index.js';
