import { base58Decode, base58Encode } from './base58.js';
import { equalBytes, requireBytes, toHex, U64_MAX, writeU64LE } from './bytes.js';
import { writeDataset } from './dataset-writer-internal.js';
import { InvalidArgumentError, requireArgument } from './errors.js';
import { createBulkKeccak } from './fast-keccak.js';
import type { LeafVersion } from './leaf.js';
import type { TreeBuilder } from './merkle/builder.js';
import { amountBytes, type GlobalLeaves, validateGlobalLeaves } from './merkle/global-leaves.js';
import { buildGlobalRootTree, type GlobalRootInput } from './merkle/global-tree.js';
import { MAX_LEAVES } from './merkle/layout.js';
import { walletsStrictlySorted } from './merkle/wallet-order.js';

/**
 * The canonical dataset of a root: a header line, then one line per leaf sorted by wallet bytes, every line ending
 * in LF. Anyone holding it can rebuild the root; its keccak256 is the dataset_hash published with the root.
 *   attention-oracle-dataset v1 leaf=v4 mint=<base58> root_seq=<n> count=<n>
 *   <wallet base58>,<cumulative_total>                      (V4)
 *   <wallet base58>,<base_yield>,<attention_bonus>          (V5)
 */
const HEADER =
  /^attention-oracle-dataset v1 leaf=(v4|v5) mint=([1-9A-HJ-NP-Za-km-z]{32,44}) root_seq=(0|[1-9][0-9]{0,19}) count=(0|[1-9][0-9]{0,19})$/;
const AMOUNT = /^(0|[1-9][0-9]{0,19})$/;

/**
 * The dataset file of a root, as bytes. Leaves must already be in dataset order (as a built tree holds them).
 *
 * @example const file = encodeDataset(tree); // tree: a GlobalRootTree
 */
export function encodeDataset(root: GlobalRootInput): Uint8Array {
  const { leaves } = root;
  validateGlobalLeaves(leaves);
  requireArgument(walletsStrictlySorted(leaves.wallets), 'dataset leaves must be strictly sorted by wallet bytes');
  const count = leaves.wallets.length / 32;
  const mint = base58Encode(requireBytes(root.mint, 32, 'mint'));
  return writeDataset(
    `attention-oracle-dataset v1 leaf=${leaves.version} mint=${mint} root_seq=${root.rootSeq} count=${count}\n`,
    leaves,
  );
}

/**
 * Parses a dataset strictly: any malformed line is an {@link InvalidArgumentError} that names the line.
 *
 * @example const { mint, rootSeq, leaves } = parseDataset(file);
 */
export function parseDataset(file: Uint8Array | string): GlobalRootInput {
  const text = typeof file === 'string' ? file : new TextDecoder('utf-8', { fatal: true }).decode(file);
  if (text.includes('\r')) throw new InvalidArgumentError('dataset has CR characters: lines must end in LF only');
  if (!text.endsWith('\n')) throw new InvalidArgumentError('dataset must end with a line feed after its last line');
  const lines = text.slice(0, -1).split('\n');
  const header = HEADER.exec(lines[0] as string);
  if (!header) {
    throw new InvalidArgumentError(
      `dataset line 1: expected "attention-oracle-dataset v1 leaf=<v4|v5> mint=<base58> root_seq=<n> count=<n>", got ${quote(lines[0] as string)}`,
    );
  }
  const version = header[1] as LeafVersion;
  const mint = lineValue(1, () => base58Decode(header[2] as string, 32));
  const rootSeq = BigInt(header[3] as string);
  const count = Number(header[4]);
  if (rootSeq < 1n || rootSeq > U64_MAX) throw new InvalidArgumentError(`dataset line 1: root_seq must be 1..2^64-1`);
  if (count < 1 || count > MAX_LEAVES) throw new InvalidArgumentError(`dataset line 1: count must be 1..2^24`);
  if (lines.length - 1 !== count) {
    throw new InvalidArgumentError(`dataset header says count=${count} but ${lines.length - 1} leaf lines follow`);
  }
  const width = amountBytes(version);
  const leaves: GlobalLeaves = { version, wallets: new Uint8Array(count * 32), amounts: new Uint8Array(count * width) };
  const fieldCount = version === 'v4' ? 2 : 3;
  for (let i = 0; i < count; i++) {
    const lineNumber = i + 2;
    const fields = (lines[i + 1] as string).split(',');
    if (fields.length !== fieldCount) {
      throw new InvalidArgumentError(
        `dataset line ${lineNumber}: expected ${fieldCount} comma-separated fields for leaf=${version}, got ${quote(lines[i + 1] as string)}`,
      );
    }
    leaves.wallets.set(
      lineValue(lineNumber, () => base58Decode(fields[0] as string, 32)),
      i * 32,
    );
    for (let f = 1; f < fieldCount; f++) {
      writeU64LE(leaves.amounts, i * width + (f - 1) * 8, parseAmount(fields[f] as string, lineNumber));
    }
    if (i > 0 && !walletsStrictlySorted(leaves.wallets.subarray((i - 1) * 32, (i + 1) * 32))) {
      throw new InvalidArgumentError(`dataset line ${lineNumber}: wallets must be strictly ascending by bytes`);
    }
  }
  lineValue(0, () => validateGlobalLeaves(leaves));
  return { mint, rootSeq, leaves };
}

/**
 * The dataset_hash published with a root: keccak256 of the file's bytes.
 *
 * @example toHex(await datasetHash(file))
 */
export async function datasetHash(file: Uint8Array): Promise<Uint8Array> {
  requireArgument(file instanceof Uint8Array, 'dataset must be bytes');
  return (await createBulkKeccak()).hash(file);
}

/** What a dataset rebuilds to, and whether it matches what was expected of it (from the chain, say). */
export interface DatasetVerification {
  ok: boolean;
  /** One line per mismatch, empty when `ok`. */
  problems: string[];
  root: Uint8Array;
  datasetHash: Uint8Array;
  mint: Uint8Array;
  rootSeq: bigint;
  count: number;
  version: LeafVersion;
}

/**
 * Rebuilds the root from a dataset file and compares it, and the file's hash, mint and root_seq, with `expected`.
 *
 * @example const { ok, problems } = await verifyDataset(file, { root, datasetHash, rootSeq: 7n });
 */
export async function verifyDataset(
  file: Uint8Array,
  expected: { root?: Uint8Array; datasetHash?: Uint8Array; mint?: Uint8Array; rootSeq?: bigint } = {},
  builder?: TreeBuilder,
): Promise<DatasetVerification> {
  const parsed = parseDataset(file);
  const tree = await buildGlobalRootTree(parsed, builder);
  const hash = await datasetHash(file);
  const problems: string[] = [];
  const compare = (what: string, actual: Uint8Array, wanted?: Uint8Array) => {
    if (wanted && !equalBytes(actual, wanted)) problems.push(`${what} is ${toHex(actual)}, expected ${toHex(wanted)}`);
  };
  compare('root', tree.root, expected.root);
  compare('dataset_hash', hash, expected.datasetHash);
  compare('mint', parsed.mint, expected.mint);
  if (expected.rootSeq !== undefined && expected.rootSeq !== parsed.rootSeq) {
    problems.push(`root_seq is ${parsed.rootSeq}, expected ${expected.rootSeq}`);
  }
  return {
    ok: problems.length === 0,
    problems,
    root: tree.root,
    datasetHash: hash,
    mint: parsed.mint,
    rootSeq: parsed.rootSeq,
    count: tree.count,
    version: tree.version,
  };
}

function parseAmount(field: string, lineNumber: number): bigint {
  if (!AMOUNT.test(field)) {
    throw new InvalidArgumentError(`dataset line ${lineNumber}: amount ${quote(field)} is not a plain decimal integer`);
  }
  const value = BigInt(field);
  if (value > U64_MAX)
    throw new InvalidArgumentError(`dataset line ${lineNumber}: amount ${field} exceeds the u64 maximum`);
  return value;
}

/** Runs `read`, prefixing any InvalidArgumentError with the dataset line it came from. */
function lineValue<T>(lineNumber: number, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new InvalidArgumentError(
      lineNumber > 0 ? `dataset line ${lineNumber}: ${error.message}` : `dataset: ${error.message}`,
    );
  }
}

const quote = (line: string) => JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}...` : line);
