import { createXXHash64 } from 'hash-wasm';
import { equalBytes, readU64LE, writeU64LE } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { keccak256 } from '../keccak.js';
import { LEAF_WALLET_OFFSET, leafTemplate } from '../leaf.js';
import { amountBytes, type GlobalLeaves } from './global-leaves.js';
import { MAX_LEAVES, treeLayout } from './layout.js';
import { MerkleTree } from './tree.js';
import { walletsStrictlySorted } from './wallet-order.js';

/**
 * Artifact format 1, little-endian:
 *   0 "AOTREE" | 6 format u16 | 8 leaf version u8 (4|5) | 9 zero[3] | 12 leaf count u32 | 16 root_seq u64
 *   24 mint[32] | 56 root[32] | 88 xxhash64 of bytes 0..88 and the body
 *   96 body: wallets (32 per leaf) | amounts (8 or 16 per leaf) | every tree level, leaves first (32 per node)
 * The checksum finds corruption cheaply (gigabytes per second); load also re-hashes the first and last leaves so
 * that an artifact can never be served with a header that disagrees with its leaves.
 */
const MAGIC = new TextEncoder().encode('AOTREE');
export const ARTIFACT_FORMAT = 1;
const HEADER_BYTES = 96;
const CHECKSUM_OFFSET = 88;

/** The parts an artifact holds. */
export interface TreeArtifactParts {
  mint: Uint8Array;
  rootSeq: bigint;
  leaves: GlobalLeaves;
  merkle: MerkleTree;
}

/** Encodes a tree's parts as one artifact blob. */
export async function encodeTreeArtifact(parts: TreeArtifactParts): Promise<Uint8Array> {
  const { leaves, merkle } = parts;
  const out = new Uint8Array(HEADER_BYTES + leaves.wallets.length + leaves.amounts.length + merkle.nodes.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(6, ARTIFACT_FORMAT, true);
  out[8] = leaves.version === 'v4' ? 4 : 5;
  view.setUint32(12, merkle.leafCount, true);
  writeU64LE(out, 16, parts.rootSeq);
  out.set(parts.mint, 24);
  out.set(merkle.root, 56);
  let offset = HEADER_BYTES;
  for (const part of [leaves.wallets, leaves.amounts, merkle.nodes]) {
    out.set(part, offset);
    offset += part.length;
  }
  out.set(await checksum(out), CHECKSUM_OFFSET);
  return out;
}

/** Decodes and validates an artifact. The parts are views into `bytes`: keep it unchanged while they are in use. */
export async function decodeTreeArtifact(bytes: Uint8Array): Promise<TreeArtifactParts> {
  if (!(bytes instanceof Uint8Array) || bytes.length < HEADER_BYTES) corrupt('it is shorter than its 96-byte header');
  if (!equalBytes(bytes.subarray(0, 6), MAGIC)) corrupt('it does not start with "AOTREE"');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint16(6, true);
  if (format !== ARTIFACT_FORMAT)
    corrupt(`its format ${format} is not supported (this library reads ${ARTIFACT_FORMAT})`);
  const versionByte = bytes[8];
  if (versionByte !== 4 && versionByte !== 5) corrupt(`its leaf version ${versionByte} is neither 4 nor 5`);
  if (bytes[9] || bytes[10] || bytes[11]) corrupt('its reserved header bytes are not zero');
  const count = view.getUint32(12, true);
  if (count < 1 || count > MAX_LEAVES) corrupt(`its leaf count ${count} is outside 1..2^24`);
  const version = versionByte === 4 ? 'v4' : 'v5';
  const layout = treeLayout(count);
  const walletsEnd = HEADER_BYTES + count * 32;
  const amountsEnd = walletsEnd + count * amountBytes(version);
  const expected = amountsEnd + layout.totalNodes * 32;
  if (bytes.length !== expected) corrupt(`it is ${bytes.length} bytes; ${count} leaves need ${expected}`);
  if (!equalBytes(await checksum(bytes), bytes.subarray(CHECKSUM_OFFSET, HEADER_BYTES))) {
    corrupt('its checksum does not match (the file is damaged)');
  }
  const mint = bytes.subarray(24, 56);
  const rootSeq = readU64LE(bytes, 16);
  const leaves = {
    version,
    wallets: bytes.subarray(HEADER_BYTES, walletsEnd),
    amounts: bytes.subarray(walletsEnd, amountsEnd),
  } as const;
  const merkle = new MerkleTree(layout, bytes.subarray(amountsEnd));
  if (!equalBytes(merkle.root, bytes.subarray(56, 88))) corrupt('its header root differs from its top node');
  if (!walletsStrictlySorted(leaves.wallets)) corrupt('its wallets are not strictly sorted');
  const template = leafTemplate(version, mint, rootSeq);
  for (const i of new Set([0, count - 1])) {
    template.set(leaves.wallets.subarray(i * 32, i * 32 + 32), LEAF_WALLET_OFFSET);
    const width = amountBytes(version);
    template.set(leaves.amounts.subarray(i * width, (i + 1) * width), LEAF_WALLET_OFFSET + 32);
    if (!equalBytes(keccak256(template), merkle.leaf(i)))
      corrupt(`its leaf ${i} does not hash to its wallet and amounts`);
  }
  return { mint, rootSeq, leaves, merkle };
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
