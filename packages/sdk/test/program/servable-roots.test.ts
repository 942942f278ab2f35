import { InvalidArgumentError } from '@attention-oracle/core';
import { describe, expect, it } from 'vitest';
import { type GlobalRootConfig, isRootServable, type RootEntry, servableRoots } from '../../src/program/index.js';
import { bytes32, expectThrows, key } from './fixtures.js';

const empty: RootEntry = { seq: 0n, root: bytes32(0), datasetHash: bytes32(0), publishedSlot: 0n };
const at = (seq: bigint): RootEntry => ({
  seq,
  root: bytes32(Number(seq)),
  datasetHash: bytes32(1),
  publishedSlot: seq,
});

function config(latestRootSeq: bigint, roots: GlobalRootConfig['roots']): GlobalRootConfig {
  return { version: 1, bump: 255, mint: key(7), latestRootSeq, roots };
}

describe('servable roots', () => {
  it('a fresh config serves nothing, not even seq 0', () => {
    const fresh = config(0n, [empty, empty, empty, empty]);
    expect(servableRoots(fresh)).toEqual([]);
    expect(isRootServable(fresh, 0n)).toBe(false);
    expect(isRootServable(fresh, 1n)).toBe(false);
  });

  it('after two publishes, serves both, newest first', () => {
    const c = config(2n, [empty, at(1n), at(2n), empty]);
    expect(servableRoots(c).map((e) => e.seq)).toEqual([2n, 1n]);
    expect(isRootServable(c, 1n)).toBe(true);
    expect(isRootServable(c, 3n)).toBe(false);
  });

  it('after the ring wraps, serves latest-3..latest and not the overwritten seq', () => {
    const c = config(6n, [at(4n), at(5n), at(6n), at(3n)]);
    expect(servableRoots(c).map((e) => e.seq)).toEqual([6n, 5n, 4n, 3n]);
    expect(isRootServable(c, 2n)).toBe(false); // slot 2 holds 6
    expect(isRootServable(c, 7n)).toBe(false);
    for (const seq of [3n, 4n, 5n, 6n]) expect(isRootServable(c, seq)).toBe(true);
  });

  it('ignores an entry in the wrong slot, as the program would', () => {
    const c = config(2n, [at(1n), empty, at(2n), empty]);
    expect(servableRoots(c).map((e) => e.seq)).toEqual([2n]);
    expect(isRootServable(c, 1n)).toBe(false);
  });

  it('rejects a seq that is not a u64', () => {
    expectThrows(
      () => isRootServable(config(0n, [empty, empty, empty, empty]), -1n),
      InvalidArgumentError,
      'rootSeq must be a u64 (0..2^64-1), got -1',
    );
  });
});
