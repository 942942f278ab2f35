// litesvm's public class wraps a native `LiteSvm` whose methods take raw bytes. The wrapper converts every address
// through @solana/kit's base58 codec (~45 us per getAccount against ~2 us native) and re-encodes every transaction, so
// the ledger's hot path talks to the native object. litesvm is pinned (1.5.0); this checks the shape it relies on.
import { LiteSVM } from 'litesvm';
import type { LiteSvm } from 'litesvm/dist/internal.js';

/** The native litesvm instance behind a `LiteSVM`. */
export type RawSvm = LiteSvm;

/** The native instance behind `svm`; throws if this litesvm build is laid out differently. */
export function rawSvm(svm: LiteSVM): RawSvm {
  const inner = (svm as unknown as { inner?: RawSvm }).inner;
  if (!inner || typeof inner.sendLegacyTransaction !== 'function' || typeof inner.getAccount !== 'function') {
    throw new Error('unsupported litesvm build: LiteSVM has no native `inner` instance (expected litesvm 1.5)');
  }
  return inner;
}

/**
 * A LiteSVM configured as the local chain runs it: the ledger checks blockhash age and duplicates itself (litesvm
 * accepts only its single latest blockhash, and its history would grow the snapshots), signatures are verified.
 */
export function createChainSvm(): LiteSVM {
  return new LiteSVM().withTransactionHistory(0n).withBlockhashCheck(false).withSigverify(true);
}

/** Runs a serialized transaction natively (legacy or versioned, by the message's first byte). */
export function sendRaw(raw: RawSvm, tx: Uint8Array, version: 'legacy' | 0) {
  return version === 'legacy' ? raw.sendLegacyTransaction(tx) : raw.sendVersionedTransaction(tx);
}

/** Simulates a serialized transaction natively, optionally without signature verification. */
export function simulateRaw(raw: RawSvm, tx: Uint8Array, version: 'legacy' | 0, sigVerify: boolean) {
  const before = raw.getSigverify();
  raw.setSigverify(sigVerify);
  try {
    return version === 'legacy' ? raw.simulateLegacyTransaction(tx) : raw.simulateVersionedTransaction(tx);
  } finally {
    raw.setSigverify(before);
  }
}
