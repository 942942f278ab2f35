import { equalBytes, InvalidArgumentError, toHex } from '@attention-oracle/core';
import type { GlobalRootConfig, RootEntry } from '@attention-oracle/sdk';

/** Why publishing must stop until an operator acts. */
export type PublishAlarmReason =
  | 'not-initialized'
  | 'gap'
  | 'foreign-root'
  | 'root-mismatch'
  | 'dataset-hash-mismatch'
  | 'inconsistent-chain';

/** What the publisher should do with a candidate root, given the chain. Every variant carries a human `message`. */
export type PublishDecision =
  /** The chain is at `seq - 1` and its latest root (if any) is one this system knows: send the publish. */
  | { readonly action: 'publish'; readonly message: string }
  /** The candidate is already on chain (same root and dataset hash), published at `slot`: nothing to send. */
  | { readonly action: 'done'; readonly slot: bigint; readonly message: string }
  /** Someone published past the candidate: rebuild it with `nextSeq` (the chain's latest + 1). */
  | { readonly action: 'stale'; readonly reason: 'superseded'; readonly nextSeq: bigint; readonly message: string }
  /** Stop and tell the operator. `latestRootSeq` is null when the global root is not initialized. */
  | {
      readonly action: 'alarm';
      readonly reason: PublishAlarmReason;
      readonly latestRootSeq: bigint | null;
      /** The on-chain entry the alarm is about, when there is one. */
      readonly onChain?: RootEntry;
      readonly message: string;
    };

/** Input of {@link decidePublish}. */
export interface PublishDecisionInput {
  /** The decoded GlobalRootConfig, or null when the global root is not initialized. */
  readonly chain: GlobalRootConfig | null;
  readonly candidate: { readonly seq: bigint; readonly root: Uint8Array; readonly datasetHash: Uint8Array };
  /** Roots this system published, or whose dataset it imported, by seq. */
  readonly publishedBySystem: (seq: bigint) => { readonly root: Uint8Array } | undefined;
}

const hex = (bytes: Uint8Array) => `0x${toHex(bytes)}`;
// The program keeps root `seq` at roots[seq % 4].
const slotOf = (chain: GlobalRootConfig, seq: bigint): RootEntry => chain.roots[Number(seq % 4n)] as RootEntry;

/**
 * Decides whether to publish a candidate root, pure. The chain is the only source of the next seq (other systems may
 * publish to the same mint), so anything but "latest is exactly seq - 1 and known to us" never publishes.
 *
 * @example
 * const d = decidePublish({ chain: decodeGlobalRootConfig(data), candidate: { seq, root, datasetHash }, publishedBySystem });
 * if (d.action === 'publish') await send(); else log.warn(d.message);
 */
export function decidePublish(input: PublishDecisionInput): PublishDecision {
  const { chain, candidate, publishedBySystem } = input;
  const { seq, root } = candidate;
  if (typeof seq !== 'bigint' || seq < 1n) {
    throw new InvalidArgumentError(`candidate seq must be a bigint >= 1 (the first publish is 1), got ${String(seq)}`);
  }
  const what = `candidate root ${hex(root)} at seq ${seq}`;
  if (chain === null) {
    const message = `global root is not initialized for this mint: cannot publish ${what}; initialize it first`;
    return { action: 'alarm', reason: 'not-initialized', latestRootSeq: null, message };
  }
  const latest = chain.latestRootSeq;
  const alarm = (reason: PublishAlarmReason, message: string, onChain?: RootEntry): PublishDecision =>
    onChain === undefined
      ? { action: 'alarm', reason, latestRootSeq: latest, message }
      : { action: 'alarm', reason, latestRootSeq: latest, onChain, message };
  if (latest > seq) {
    const message = `chain is already at seq ${latest} (root ${hex(slotOf(chain, latest).root)}), past ${what}: rebuild with seq ${latest + 1n}`;
    return { action: 'stale', reason: 'superseded', nextSeq: latest + 1n, message };
  }
  if (latest < seq - 1n) {
    return alarm(
      'gap',
      `chain is at seq ${latest} but ${what} needs ${seq - 1n}: the next publishable seq is ${latest + 1n}`,
    );
  }
  // latest is seq or seq - 1 from here; 0 means nothing was ever published, so there is no entry to check.
  if (latest === 0n) return { action: 'publish', message: `publishing ${what} as the first root of this mint` };
  const entry = slotOf(chain, latest);
  if (entry.seq !== latest) {
    // The program always writes the latest root into its slot; anything else means the decoded account is wrong.
    return alarm(
      'inconsistent-chain',
      `chain says latest seq ${latest} but roots[${latest % 4n}] holds seq ${entry.seq}`,
      entry,
    );
  }
  if (latest === seq) {
    if (!equalBytes(entry.root, root)) {
      const message = `seq ${seq} is on chain with root ${hex(entry.root)}, not our ${hex(root)}: someone else published it`;
      return alarm('root-mismatch', message, entry);
    }
    if (!equalBytes(entry.datasetHash, candidate.datasetHash)) {
      const message = `seq ${seq} is on chain with our root ${hex(root)} but dataset hash ${hex(entry.datasetHash)}, not our ${hex(candidate.datasetHash)}`;
      return alarm('dataset-hash-mismatch', message, entry);
    }
    return {
      action: 'done',
      slot: entry.publishedSlot,
      message: `${what} is already on chain (slot ${entry.publishedSlot})`,
    };
  }
  // latest === seq - 1: never build on a root whose dataset we do not hold (totals could go down for its wallets).
  const known = publishedBySystem(latest);
  if (known === undefined || !equalBytes(known.root, entry.root)) {
    const ours = known === undefined ? 'this system has no root for that seq' : `this system has ${hex(known.root)}`;
    const message = `latest on-chain root is seq ${latest} ${hex(entry.root)}, not published by this system (${ours}): import that root's dataset (hash ${hex(entry.datasetHash)}) before publishing ${what}`;
    return alarm('foreign-root', message, entry);
  }
  return { action: 'publish', message: `publishing ${what} on top of our seq ${latest} root ${hex(entry.root)}` };
}
