import { InvalidArgumentError } from '@attention-oracle/core';
import type { PublicKey } from '@solana/web3.js';
import { ByteReader, ByteWriter, requireAnchorData } from './bytes-internal.js';
import { ACCOUNT_DISCRIMINATORS } from './discriminators.js';

/**
 * Size of a GlobalRootConfig account, discriminator included.
 *
 * @example accountInfo.data.length === GLOBAL_ROOT_CONFIG_SIZE
 */
export const GLOBAL_ROOT_CONFIG_SIZE = 370;

/**
 * How many recent roots the program keeps (and accepts claims against): root `seq` lives at `roots[seq % 4]`.
 *
 * @example config.roots[Number(seq % BigInt(ROOT_HISTORY_LENGTH))]
 */
export const ROOT_HISTORY_LENGTH = 4;

/** One slot of the root ring buffer. A never-written slot has seq 0 and zero bytes. */
export interface RootEntry {
  readonly seq: bigint;
  readonly root: Uint8Array;
  /** Stored, never checked by the program: keccak256 of the published dataset. */
  readonly datasetHash: Uint8Array;
  readonly publishedSlot: bigint;
}

/** The per-mint GlobalRootConfig account (PDA `["global_root", mint]`). */
export interface GlobalRootConfig {
  readonly version: number;
  readonly bump: number;
  readonly mint: PublicKey;
  /** 0 before the first publish; the next publish must be exactly this + 1. */
  readonly latestRootSeq: bigint;
  readonly roots: readonly [RootEntry, RootEntry, RootEntry, RootEntry];
}

/**
 * Decodes GlobalRootConfig account data; rejects any other size or discriminator.
 *
 * @example
 * const config = decodeGlobalRootConfig(accountInfo.data);
 * const nextSeq = config.latestRootSeq + 1n;
 */
export function decodeGlobalRootConfig(data: Uint8Array): GlobalRootConfig {
  requireAnchorData(
    data,
    'GlobalRootConfig account data',
    GLOBAL_ROOT_CONFIG_SIZE,
    ACCOUNT_DISCRIMINATORS.GlobalRootConfig,
  );
  const r = new ByteReader(data);
  const version = r.u8();
  const bump = r.u8();
  const mint = r.publicKey();
  const latestRootSeq = r.u64();
  const entry = (): RootEntry => ({
    seq: r.u64(),
    root: r.bytes32(),
    datasetHash: r.bytes32(),
    publishedSlot: r.u64(),
  });
  return { version, bump, mint, latestRootSeq, roots: [entry(), entry(), entry(), entry()] };
}

/**
 * Encodes a GlobalRootConfig as account data (370 bytes), for local chains and tests.
 *
 * @example
 * const data = encodeGlobalRootConfig({ version: 1, bump, mint, latestRootSeq: 0n, roots: [empty, empty, empty, empty] });
 */
export function encodeGlobalRootConfig(config: GlobalRootConfig): Uint8Array {
  if (config.roots.length !== ROOT_HISTORY_LENGTH) {
    throw new InvalidArgumentError(`roots must hold ${ROOT_HISTORY_LENGTH} entries, got ${config.roots.length}`);
  }
  const w = new ByteWriter(GLOBAL_ROOT_CONFIG_SIZE)
    .raw(ACCOUNT_DISCRIMINATORS.GlobalRootConfig)
    .u8(config.version, 'version')
    .u8(config.bump, 'bump')
    .publicKey(config.mint, 'mint')
    .u64(config.latestRootSeq, 'latestRootSeq');
  for (const [k, e] of config.roots.entries()) {
    w.u64(e.seq, `roots[${k}].seq`)
      .bytes32(e.root, `roots[${k}].root`)
      .bytes32(e.datasetHash, `roots[${k}].datasetHash`)
      .u64(e.publishedSlot, `roots[${k}].publishedSlot`);
  }
  return w.bytes;
}
