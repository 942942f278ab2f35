// A wallet's proof from the in-memory trees: the one service behind proofs.get and GET /v1/proofs/<seq>/<wallet>.
import { base58Decode, type GlobalRootTree, MAX_LEAVES } from '@attention-oracle/core';
import type { RootRecord } from '@attention-oracle/indexer';
import { fail, ok, type Result } from './errors.js';
import { hex } from './hex.js';
import type { CachedRoot, TreeCache } from './trees.js';

/** A proof answer: the root it belongs to, when it is valid as of, the amounts gross and net of the transfer fee. */
export interface ProofAnswer {
  rootSeq: string;
  root: string;
  leafVersion: 'v4' | 'v5';
  /** The slot the root's publish landed in, or null when unpublished. */
  validAsOfSlot: string | null;
  /** When the root was published (or built, when unpublished), ISO 8601. */
  validAsOfTime: string;
  finalized: boolean;
  wallet: string;
  index: number;
  /** The cumulative total in the leaf, base units. */
  amountGross: string;
  /** Gross minus the mint's transfer fee on it; null when the fee is unknown (no chain). */
  amountNet: string | null;
  baseYield: string | null;
  attentionBonus: string | null;
  /** Sibling hashes, hex, leaf to root. */
  proof: string[];
}

/** The fields of a proof answer that depend on the root alone. */
export type RootFields = Pick<
  ProofAnswer,
  'rootSeq' | 'root' | 'leafVersion' | 'validAsOfSlot' | 'validAsOfTime' | 'finalized'
>;

/**
 * The root's share of every proof answer, encoded once (the proof cache keeps it with the tree).
 *
 * @example const fields = rootFields(record); fields.root // 64 hex digits
 */
export function rootFields(record: RootRecord): RootFields {
  return {
    rootSeq: record.seq.toString(),
    root: hex(record.root),
    leafVersion: record.leafVersion,
    validAsOfSlot: record.publishSlot === null ? null : record.publishSlot.toString(),
    validAsOfTime: (record.publishedAt ?? record.builtAt).toISOString(),
    finalized: record.finalized,
  };
}

/**
 * The 32 bytes of a base58 wallet, or a failure saying why not.
 *
 * @example const w = parseWallet('11111111111111111111111111111111');
 */
export function parseWallet(wallet: string): Result<Uint8Array> {
  if (!/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(wallet)) return fail('BAD_REQUEST', 'wallet must be a base58 address');
  let bytes: Uint8Array;
  try {
    bytes = base58Decode(wallet);
  } catch {
    return fail('BAD_REQUEST', 'wallet must be a base58 address');
  }
  return bytes.length === 32 ? ok(bytes) : fail('BAD_REQUEST', 'wallet must decode to 32 bytes');
}

/**
 * The proof of `wallet` in root `seq` (or the newest servable root), from the cache.
 *
 * @example const answer = proofFor(trees, fees, 'So1...', 3n);
 */
export function proofFor(
  trees: TreeCache,
  feeFor: ((amount: bigint) => bigint) | null,
  wallet: string,
  seq: bigint | undefined,
): Result<ProofAnswer> {
  const found = findLeaf(trees, wallet, seq);
  if (!found.ok) return found;
  const { root, index } = found.value;
  const { tree, fields } = root;
  const entry = tree.entry(index);
  const gross = entry.cumulativeTotal;
  // Written out in the answer's key order (responses are byte-identical to before); a spread would be slower.
  return ok({
    rootSeq: fields.rootSeq,
    root: fields.root,
    leafVersion: fields.leafVersion,
    validAsOfSlot: fields.validAsOfSlot,
    validAsOfTime: fields.validAsOfTime,
    finalized: fields.finalized,
    wallet,
    index,
    amountGross: gross.toString(),
    amountNet: feeFor === null ? null : (gross - feeFor(gross)).toString(),
    baseYield: entry.baseYield?.toString() ?? null,
    attentionBonus: entry.attentionBonus?.toString() ?? null,
    proof: hexSiblings(tree.proofBytes(index)),
  });
}

/** A proof answer already encoded: what the plain route sends, and what its headers need. */
export interface ProofJson {
  /** Exactly `JSON.stringify` of the {@link ProofAnswer} that {@link proofFor} gives for the same request. */
  readonly json: string;
  /** The root, hex. */
  readonly root: string;
  readonly finalized: boolean;
}

/**
 * The proof of `wallet` in root `seq` as the JSON text of its {@link ProofAnswer}, written from the root's cached
 * head (see {@link proofJsonHead}) and the leaf's fields, with no answer object and no `JSON.stringify`: the plain
 * route's hot path.
 *
 * @example const answer = proofJson(trees, null, 'So1...', 3n); if (answer.ok) res.end(answer.value.json);
 */
export function proofJson(
  trees: TreeCache,
  feeFor: ((amount: bigint) => bigint) | null,
  wallet: string,
  seq: bigint | undefined,
): Result<ProofJson> {
  const found = findLeaf(trees, wallet, seq);
  if (!found.ok) return found;
  const { root, index } = found.value;
  const entry = root.tree.entry(index);
  const gross = entry.cumulativeTotal;
  // The wallet passed parseWallet (base58 letters only) and every other value is digits or hex: nothing to escape.
  const json = `${root.jsonHead}${wallet}","index":${index},"amountGross":"${gross}","amountNet":${
    feeFor === null ? 'null' : `"${gross - feeFor(gross)}"`
  },"baseYield":${entry.baseYield === undefined ? 'null' : `"${entry.baseYield}"`},"attentionBonus":${
    entry.attentionBonus === undefined ? 'null' : `"${entry.attentionBonus}"`
  },"proof":[${hexList(root.tree, index)}]}`;
  return ok({ json, root: root.fields.root, finalized: root.fields.finalized });
}

/**
 * The JSON text of a proof answer up to its wallet's value: the root's fields in the answer's key order, then
 * `"wallet":"` (the cache keeps it with the tree, so that {@link proofJson} writes only the leaf's part).
 *
 * @example proofJsonHead(rootFields(record)) // '{"rootSeq":"4",...,"finalized":true,"wallet":"'
 */
export function proofJsonHead(fields: RootFields): string {
  const { rootSeq, root, leafVersion, validAsOfSlot, validAsOfTime, finalized } = fields;
  const head = JSON.stringify({ rootSeq, root, leafVersion, validAsOfSlot, validAsOfTime, finalized });
  return `${head.slice(0, -1)},"wallet":"`;
}

/** The cached root and the leaf index of `wallet` in root `seq` (or the newest), or why there is none. */
function findLeaf(
  trees: TreeCache,
  wallet: string,
  seq: bigint | undefined,
): Result<{ root: CachedRoot; index: number }> {
  const parsed = parseWallet(wallet);
  if (!parsed.ok) return parsed;
  const root = seq === undefined ? trees.newest() : trees.get(seq);
  if (root === undefined) {
    return fail('NOT_FOUND', seq === undefined ? 'no root is servable yet' : `root ${seq} is not servable`);
  }
  const index = root.tree.indexOf(parsed.value);
  if (index < 0) return fail('NOT_FOUND', `wallet ${wallet} has no leaf in root ${root.record.seq}`);
  return ok({ root, index });
}

/** Each 32-byte sibling as hex, from one hex encoding of them all (slices of one string are cheap). */
function hexSiblings(siblings: Uint8Array): string[] {
  const all = hex(siblings);
  const proof = new Array<string>(siblings.length / 32);
  for (let i = 0; i < proof.length; i++) proof[i] = all.slice(i * 64, i * 64 + 64);
  return proof;
}

/** One buffer for every proof the plain route writes (answers are written synchronously, one at a time). */
const scratch = Buffer.alloc(32 * Math.log2(MAX_LEAVES));

/** The proof of leaf `index` as the inside of a JSON array of hex strings: `"ab..","cd.."`. */
function hexList(tree: GlobalRootTree, index: number): string {
  const all = scratch.toString('hex', 0, tree.writeProof(index, scratch));
  let list = '';
  for (let at = 0; at < all.length; at += 64) list += `${at === 0 ? '"' : ',"'}${all.slice(at, at + 64)}"`;
  return list;
}
