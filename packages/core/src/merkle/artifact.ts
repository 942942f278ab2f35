import { createXXHash64 } from 'hash-wasm';
import { equalBytes, readU64LE, writeU64LE } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { type BulkKeccak, createBulkKeccak } from '../fast-keccak.js';
import { LEAF_WALLET_OFFSET, type LeafVersion, leafTemplate } from '../leaf.js';
import { amountBytes, type GlobalLeaves } from './global-leaves.js';
import { MAX_LEAVES, type TreeLayout, treeLayout } from './layout.js';
import { type LeafHasher, MerkleTree } from './tree.js';
import { hashPair } from './verify.js';
import { walletsStrictlySorted } from './wallet-order.js';

/**
 * Artifact format 2, little-endian:
 *   0 "AOTREE" | 6 format u16 | 8 leaf version u8 (4|5) | 9 zero[3] | 12 leaf count u32 | 16 root_seq u64
 *   24 mint[32] | 56 root[32] | 88 xxhash64 of bytes 0..88 and the body
 *   96 body: wallets (32 per leaf) | amounts (8 or 16 per leaf) | every tree level above the leaves, level 1 first
 *      (32 per node; none for a single leaf)
 * A leaf hash is one keccak of (template, wallet, amounts), so the leaf level is not stored: a loaded tree recomputes
 * the one leaf a proof needs, and holds a third less memory than with it.
 * Format 1 (still read) is the same header and body with the leaf level stored too, before level 1; loading one drops
 * that level.
 * The checksum finds corruption cheaply (gigabytes per second); load also re-hashes the leaves under the first and
 * last level-1 nodes so that an artifact can never be served with a header that disagrees with its leaves.
 */
const MAGIC = new TextEncoder().encode('AOTREE');
export const ARTIFACT_FORMAT = 2;
/** The format before the leaf level was dropped from artifacts: loaded, never written. */
const FORMAT_WITH_LEAVES = 1;
const HEADER_BYTES = 96;
const CHECKSUM_OFFSET = 88;

/** The parts an artifact holds. */
export interface TreeArtifactParts {
  mint: Uint8Array;
  rootSeq: bigint;
  leaves: GlobalLeaves;
  merkle: MerkleTree;
}

/** Encodes a tree's parts as one artifact blob (the current format). */
export async function encodeTreeArtifact(parts: TreeArtifactParts): Promise<Uint8Array> {
  const { leaves, merkle } = parts;
  const upper = merkle.upperLevels;
  const out = new Uint8Array(HEADER_BYTES + leaves.wallets.length + leaves.amounts.length + upper.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(6, ARTIFACT_FORMAT, true);
  out[8] = leaves.version === 'v4' ? 4 : 5;
  view.setUint32(12, merkle.leafCount, true);
  writeU64LE(out, 16, parts.rootSeq);
  out.set(parts.mint, 24);
  out.set(merkle.root, 56);
  let offset = HEADER_BYTES;
  for (const part of [leaves.wallets, leaves.amounts, upper]) {
    out.set(part, offset);
    offset += part.length;
  }
  out.set(await checksum(out), CHECKSUM_OFFSET);
  return out;
}

/**
 * Decodes and validates an artifact of format 2 or 1. The parts of a format 2 artifact are views into `bytes`: keep
 * it unchanged while they are in use. A format 1 artifact's parts are copied out without its leaf level.
 */
export async function decodeTreeArtifact(bytes: Uint8Array): Promise<TreeArtifactParts> {
  if (!(bytes instanceof Uint8Array) || bytes.length < HEADER_BYTES) corrupt('it is shorter than its 96-byte header');
  if (!equalBytes(bytes.subarray(0, 6), MAGIC)) corrupt('it does not start with "AOTREE"');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint16(6, true);
  if (format !== ARTIFACT_FORMAT && format !== FORMAT_WITH_LEAVES) {
    corrupt(
      `its format ${format} is not supported (this library reads formats ${FORMAT_WITH_LEAVES} and ${ARTIFACT_FORMAT}; rebuild the root's artifact with it)`,
    );
  }
  const versionByte = bytes[8];
  if (versionByte !== 4 && versionByte !== 5) corrupt(`its leaf version ${versionByte} is neither 4 nor 5`);
  if (bytes[9] || bytes[10] || bytes[11]) corrupt('its reserved header bytes are not zero');
  const count = view.getUint32(12, true);
  if (count < 1 || count > MAX_LEAVES) corrupt(`its leaf count ${count} is outside 1..2^24`);
  const version = versionByte === 4 ? 'v4' : 'v5';
  const layout = treeLayout(count);
  const walletsEnd = HEADER_BYTES + count * 32;
  const amountsEnd = walletsEnd + count * amountBytes(version);
  const storedNodes = format === FORMAT_WITH_LEAVES ? layout.totalNodes : layout.totalNodes - count;
  const expected = amountsEnd + storedNodes * 32;
  if (bytes.length !== expected) corrupt(`it is ${bytes.length} bytes; ${count} leaves need ${expected}`);
  if (!equalBytes(await checksum(bytes), bytes.subarray(CHECKSUM_OFFSET, HEADER_BYTES))) {
    corrupt('its checksum does not match (the file is damaged)');
  }
  const mint = bytes.subarray(24, 56);
  const rootSeq = readU64LE(bytes, 16);
  const headerRoot = bytes.subarray(56, 88);
  if (!walletsStrictlySorted(bytes.subarray(HEADER_BYTES, walletsEnd))) corrupt('its wallets are not strictly sorted');
  const keccak = await bulkKeccak();
  if (format === FORMAT_WITH_LEAVES) {
    const full = new MerkleTree(layout, bytes.subarray(amountsEnd));
    if (!equalBytes(full.root, headerRoot)) corrupt('its header root differs from its top node');
    const leaves = {
      version,
      wallets: bytes.subarray(HEADER_BYTES, walletsEnd),
      amounts: bytes.subarray(walletsEnd, amountsEnd),
    } as const;
    const leafHash = leafHasher(version, mint, rootSeq, leaves, keccak);
    for (const i of new Set([0, count - 1])) {
      const hash = new Uint8Array(32);
      leafHash(i, hash, 0);
      if (!equalBytes(hash, full.leaf(i))) corrupt(`its leaf ${i} does not hash to its wallet and amounts`);
    }
    // Copied without the leaf level, so that the original bytes (and that level) can be freed.
    const kept = new Uint8Array(amountsEnd - HEADER_BYTES + full.upperLevels.length);
    kept.set(bytes.subarray(HEADER_BYTES, amountsEnd), 0);
    kept.set(full.upperLevels, amountsEnd - HEADER_BYTES);
    return treeParts(layout, version, mint.slice(), rootSeq, kept, keccak);
  }
  const parts = treeParts(layout, version, mint, rootSeq, bytes.subarray(HEADER_BYTES), keccak);
  if (!equalBytes(parts.merkle.root, headerRoot)) corrupt('its header root differs from its top node');
  checkLeaves(layout, parts.merkle);
  return parts;
}

/** The parts over `body` (wallets, amounts, the levels above the leaves), with a tree that recomputes its leaves. */
function treeParts(
  layout: TreeLayout,
  version: LeafVersion,
  mint: Uint8Array,
  rootSeq: bigint,
  body: Uint8Array,
  keccak: BulkKeccak,
): TreeArtifactParts {
  const walletsEnd = layout.leafCount * 32;
  const amountsEnd = walletsEnd + layout.leafCount * amountBytes(version);
  const leaves = { version, wallets: body.subarray(0, walletsEnd), amounts: body.subarray(walletsEnd, amountsEnd) };
  const merkle = new MerkleTree(layout, body.subarray(amountsEnd), leafHasher(version, mint, rootSeq, leaves, keccak));
  return { mint, rootSeq, leaves, merkle };
}

/**
 * Re-hashes the leaves under the first and last level-1 nodes (a single leaf is the root, checked already): a body
 * whose wallets or amounts disagree with its levels is refused.
 */
function checkLeaves(layout: TreeLayout, merkle: MerkleTree) {
  if (layout.depth === 0) return;
  const parents = layout.sizes[1] as number;
  for (const p of new Set([0, parents - 1])) {
    const left = 2 * p;
    const right = Math.min(left + 1, layout.leafCount - 1);
    const stored = merkle.upperLevels.subarray(p * 32, p * 32 + 32);
    if (!equalBytes(hashPair(merkle.leaf(left), merkle.leaf(right)), stored)) {
      corrupt(`its leaves ${left}..${right} do not hash to their parent node`);
    }
  }
}

/** Hashes leaf `index` of `leaves` from its wallet and amounts, in one reused preimage. */
function leafHasher(
  version: LeafVersion,
  mint: Uint8Array,
  rootSeq: bigint,
  leaves: GlobalLeaves,
  keccak: BulkKeccak,
): LeafHasher {
  const preimage = leafTemplate(version, mint, rootSeq);
  const { wallets, amounts } = leaves;
  const width = amountBytes(version);
  return (index, out, offset) => {
    preimage.set(wallets.subarray(index * 32, index * 32 + 32), LEAF_WALLET_OFFSET);
    preimage.set(amounts.subarray(index * width, index * width + width), LEAF_WALLET_OFFSET + 32);
    keccak.hashInto(preimage, out, offset);
  };
}

let sharedKeccak: Promise<BulkKeccak> | undefined;

/** One bulk hasher for every loaded tree's leaves (they are hashed one at a time, in this thread). */
function bulkKeccak(): Promise<BulkKeccak> {
  sharedKeccak ??= createBulkKeccak();
  return sharedKeccak;
}

async function checksum(artifact: Uint8Array): Promise<Uint8Array> {
  const xxhash = await createXXHash64();
  xxhash.init();
  xxhash.update(artifact.subarray(0, CHECKSUM_OFFSET));
  xxhash.update(artifact.subarray(HEADER_BYTES));
  return xxhash.digest('binary');
}

function corrupt(problem: string): never {
  throw new InvalidArgumentError(`not a valid tree artifact: ${problem}`);
}
