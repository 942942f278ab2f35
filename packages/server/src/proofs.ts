// A wallet's proof from the in-memory trees: the one service behind proofs.get and GET /v1/proofs/<seq>/<wallet>.
import { base58Decode } from '@attention-oracle/core';
import type { RootRecord } from '@attention-oracle/indexer';
import { fail, ok, type Result } from './errors.js';
import { hex } from './hex.js';
import type { TreeCache } from './trees.js';

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
  const parsed = parseWallet(wallet);
  if (!parsed.ok) return parsed;
  const cached = seq === undefined ? trees.newest() : trees.get(seq);
  if (cached === undefined) {
    return fail('NOT_FOUND', seq === undefined ? 'no root is servable yet' : `root ${seq} is not servable`);
  }
  const { tree, fields } = cached;
  const index = tree.indexOf(parsed.value);
  if (index < 0) return fail('NOT_FOUND', `wallet ${wallet} has no leaf in root ${cached.record.seq}`);
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

/** Each 32-byte sibling as hex, from one hex encoding of them all (slices of one string are cheap). */
function hexSiblings(siblings: Uint8Array): string[] {
  const all = hex(siblings);
  const proof = new Array<string>(siblings.length / 32);
  for (let i = 0; i < proof.length; i++) proof[i] = all.slice(i * 64, i * 64 + 64);
  return proof;
}
