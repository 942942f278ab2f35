import { toHex } from '@attention-oracle/core';
import type { GlobalRootConfig, RootEntry } from '@attention-oracle/sdk';
import { PublicKey } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { decidePublish } from '../../src/roots/publish-decision.js';

const bytes = (fill: number) => new Uint8Array(32).fill(fill);
const EMPTY: RootEntry = { seq: 0n, root: bytes(0), datasetHash: bytes(0), publishedSlot: 0n };

/** A chain whose roots 1..latest are root = bytes(seq), dataset = bytes(100 + seq), slot = 1000 + seq. */
function chainAt(latest: bigint, override?: Partial<RootEntry>): GlobalRootConfig {
  const roots: RootEntry[] = [EMPTY, EMPTY, EMPTY, EMPTY];
  for (let s = latest > 3n ? latest - 3n : 1n; s <= latest; s++) {
    roots[Number(s % 4n)] = {
      seq: s,
      root: bytes(Number(s)),
      datasetHash: bytes(100 + Number(s)),
      publishedSlot: 1000n + s,
    };
  }
  if (latest > 0n && override)
    roots[Number(latest % 4n)] = { ...(roots[Number(latest % 4n)] as RootEntry), ...override };
  return {
    version: 1,
    bump: 255,
    mint: PublicKey.default,
    latestRootSeq: latest,
    roots: roots as unknown as GlobalRootConfig['roots'],
  };
}
const candidate = (seq: bigint, fill = Number(seq), hash = 100 + Number(seq)) => ({
  seq,
  root: bytes(fill),
  datasetHash: bytes(hash),
});
const ours = (seq: bigint) => (seq >= 1n ? { root: bytes(Number(seq)) } : undefined);
const none = () => undefined;

describe('decidePublish', () => {
  it('alarms not-initialized when the global root does not exist', () => {
    const d = decidePublish({ chain: null, candidate: candidate(1n), publishedBySystem: ours });
    expect(d).toMatchObject({ action: 'alarm', reason: 'not-initialized', latestRootSeq: null });
    expect(d.message).toContain('not initialized');
    expect(d.message).toContain(toHex(bytes(1)));
  });

  it('publishes the first root on a fresh chain without asking about seq 0', () => {
    const d = decidePublish({ chain: chainAt(0n), candidate: candidate(1n), publishedBySystem: none });
    expect(d).toMatchObject({ action: 'publish' });
    expect(d.message).toContain('seq 1');
  });

  it('publishes on top of a root this system knows', () => {
    for (const latest of [1n, 4n, 7n]) {
      const d = decidePublish({ chain: chainAt(latest), candidate: candidate(latest + 1n), publishedBySystem: ours });
      expect(d.action).toBe('publish');
      expect(d.message).toContain(`seq ${latest}`);
    }
  });

  it('alarms foreign-root when the latest root is unknown, naming it and its dataset hash', () => {
    const d = decidePublish({ chain: chainAt(5n), candidate: candidate(6n), publishedBySystem: none });
    expect(d).toMatchObject({ action: 'alarm', reason: 'foreign-root', latestRootSeq: 5n, onChain: { seq: 5n } });
    expect(d.message).toContain(`seq 5 0x${toHex(bytes(5))}`);
    expect(d.message).toContain(toHex(bytes(105)));
    expect(d.message).toContain('import');
  });

  it('alarms foreign-root when this system has a different root for the latest seq', () => {
    const d = decidePublish({
      chain: chainAt(5n),
      candidate: candidate(6n),
      publishedBySystem: () => ({ root: bytes(9) }),
    });
    expect(d).toMatchObject({ action: 'alarm', reason: 'foreign-root' });
    expect(d.message).toContain(toHex(bytes(9)));
  });

  it('is done when the candidate is already the latest root, with its slot', () => {
    const d = decidePublish({ chain: chainAt(6n), candidate: candidate(6n), publishedBySystem: none });
    expect(d).toMatchObject({ action: 'done', slot: 1006n });
    expect(d.message).toContain('slot 1006');
  });

  it('alarms root-mismatch when the latest seq holds another root', () => {
    const d = decidePublish({ chain: chainAt(6n), candidate: candidate(6n, 42), publishedBySystem: ours });
    expect(d).toMatchObject({
      action: 'alarm',
      reason: 'root-mismatch',
      latestRootSeq: 6n,
      onChain: { root: bytes(6) },
    });
    expect(d.message).toContain(toHex(bytes(6)));
    expect(d.message).toContain(toHex(bytes(42)));
  });

  it('alarms dataset-hash-mismatch when the root matches but the dataset hash does not', () => {
    const d = decidePublish({ chain: chainAt(6n), candidate: candidate(6n, 6, 77), publishedBySystem: ours });
    expect(d).toMatchObject({ action: 'alarm', reason: 'dataset-hash-mismatch' });
    expect(d.message).toContain(toHex(bytes(77)));
    expect(d.message).toContain(toHex(bytes(106)));
  });

  it('is stale when someone published past the candidate, giving the next seq', () => {
    for (const seq of [1n, 5n, 6n]) {
      const d = decidePublish({ chain: chainAt(7n), candidate: candidate(seq), publishedBySystem: ours });
      expect(d).toMatchObject({ action: 'stale', reason: 'superseded', nextSeq: 8n });
      expect(d.message).toContain('seq 8');
      expect(d.message).toContain(toHex(bytes(7)));
    }
  });

  it('alarms gap when the candidate skips seqs', () => {
    const d = decidePublish({ chain: chainAt(3n), candidate: candidate(5n), publishedBySystem: ours });
    expect(d).toMatchObject({ action: 'alarm', reason: 'gap', latestRootSeq: 3n });
    expect(d.message).toContain('next publishable seq is 4');
    const fresh = decidePublish({ chain: chainAt(0n), candidate: candidate(2n), publishedBySystem: ours });
    expect(fresh).toMatchObject({ action: 'alarm', reason: 'gap', latestRootSeq: 0n });
  });

  it('alarms inconsistent-chain when the latest slot does not hold the latest seq', () => {
    const d = decidePublish({ chain: chainAt(5n, { seq: 1n }), candidate: candidate(6n), publishedBySystem: ours });
    expect(d).toMatchObject({ action: 'alarm', reason: 'inconsistent-chain' });
  });

  it('rejects a candidate seq below 1', () => {
    expect(() => decidePublish({ chain: chainAt(0n), candidate: candidate(0n), publishedBySystem: ours })).toThrow(
      'candidate seq must be a bigint >= 1',
    );
  });

  it('does not consult publishedBySystem beyond the latest seq', () => {
    const asked: bigint[] = [];
    decidePublish({
      chain: chainAt(5n),
      candidate: candidate(6n),
      publishedBySystem: (s) => {
        asked.push(s);
        return ours(s);
      },
    });
    expect(asked).toEqual([5n]);
  });
});
