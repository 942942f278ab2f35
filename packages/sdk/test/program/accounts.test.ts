import { fromHex, InvalidArgumentError, toHex, writeU64LE } from '@attention-oracle/core';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_DISCRIMINATORS,
  CLAIM_STATE_GLOBAL_SIZE,
  type ClaimStateGlobal,
  decodeClaimStateGlobal,
  decodeGlobalRootConfig,
  decodeProtocolState,
  encodeClaimStateGlobal,
  encodeGlobalRootConfig,
  encodeProtocolState,
  GLOBAL_ROOT_CONFIG_SIZE,
  type GlobalRootConfig,
  PROTOCOL_STATE_SIZE,
  type ProtocolState,
  type RootEntry,
} from '../../src/program/index.js';
import { bytes32, expectThrows, key, vectors } from './fixtures.js';

const protocolState: ProtocolState = {
  isInitialized: true,
  version: 2,
  admin: key(0xa1),
  publisher: key(0xa2),
  treasury: key(0xa3),
  oracleAuthority: key(0xa4),
  mint: key(0xa5),
  paused: false,
  requireReceipt: true,
  bump: 254,
};

function entry(seq: bigint, fill: number): RootEntry {
  return { seq, root: bytes32(fill), datasetHash: bytes32(fill + 1), publishedSlot: 1000n + seq };
}

const globalRootConfig: GlobalRootConfig = {
  version: 1,
  bump: 255,
  mint: key(0xa5),
  latestRootSeq: 6n,
  roots: [entry(4n, 0x40), entry(5n, 0x50), entry(6n, 0x60), entry(3n, 0x30)],
};

const claimState: ClaimStateGlobal = {
  version: 1,
  bump: 253,
  mint: key(0xa5),
  wallet: key(0x09),
  claimedTotal: 18_446_744_073_709_551_615n,
  lastClaimSeq: 6n,
};

describe('ProtocolState (173 bytes)', () => {
  it('decodes bytes laid out at the documented offsets', () => {
    const data = new Uint8Array(PROTOCOL_STATE_SIZE);
    data.set(fromHex(vectors.program.account_discriminators.ProtocolState as string), 0);
    data[8] = 1;
    data[9] = 2;
    [0xa1, 0xa2, 0xa3, 0xa4, 0xa5].forEach((b, k) => {
      data.set(bytes32(b), 10 + 32 * k);
    });
    data[170] = 0;
    data[171] = 1;
    data[172] = 254;
    expect(decodeProtocolState(data)).toEqual(protocolState);
    expect(encodeProtocolState(protocolState)).toEqual(data);
  });

  it('round-trips', () => {
    const paused = { ...protocolState, paused: true, isInitialized: false };
    expect(decodeProtocolState(encodeProtocolState(paused))).toEqual(paused);
  });

  it('rejects a wrong size, a wrong discriminator and a bool that is neither 0 nor 1', () => {
    const data = encodeProtocolState(protocolState);
    expectThrows(
      () => decodeProtocolState(data.subarray(0, 141)),
      InvalidArgumentError,
      'ProtocolState account data must be 173 bytes, got 141',
    );
    const other = encodeClaimStateGlobal(claimState);
    expectThrows(
      () => decodeProtocolState(new Uint8Array([...other.subarray(0, 8), ...data.subarray(8)])),
      InvalidArgumentError,
      'ProtocolState account data has discriminator 1c8288cbe7da9da7, expected 2133ad86238cc3f8',
    );
    const badBool = data.slice();
    badBool[170] = 2;
    expectThrows(
      () => decodeProtocolState(badBool),
      InvalidArgumentError,
      'ProtocolState.paused must be a bool (0 or 1), got 2',
    );
  });

  it('refuses to encode an out-of-range u8', () => {
    expectThrows(
      () => encodeProtocolState({ ...protocolState, bump: 256 }),
      InvalidArgumentError,
      'bump must be a u8 (0..255), got 256',
    );
  });
});

describe('GlobalRootConfig (370 bytes)', () => {
  it('decodes bytes laid out at the documented offsets', () => {
    const data = new Uint8Array(GLOBAL_ROOT_CONFIG_SIZE);
    data.set(ACCOUNT_DISCRIMINATORS.GlobalRootConfig, 0);
    data[8] = 1;
    data[9] = 255;
    data.set(bytes32(0xa5), 10);
    writeU64LE(data, 42, 6n);
    globalRootConfig.roots.forEach((e, k) => {
      const at = 50 + 80 * k;
      writeU64LE(data, at, e.seq);
      data.set(e.root, at + 8);
      data.set(e.datasetHash, at + 40);
      writeU64LE(data, at + 72, e.publishedSlot);
    });
    expect(decodeGlobalRootConfig(data)).toEqual(globalRootConfig);
    expect(encodeGlobalRootConfig(globalRootConfig)).toEqual(data);
  });

  it('rejects a wrong size and a wrong discriminator', () => {
    const data = encodeGlobalRootConfig(globalRootConfig);
    expectThrows(
      () => decodeGlobalRootConfig(new Uint8Array([...data, 0])),
      InvalidArgumentError,
      'GlobalRootConfig account data must be 370 bytes, got 371',
    );
    const wrong = data.slice();
    wrong[0] = (wrong[0] as number) ^ 1;
    expectThrows(
      () => decodeGlobalRootConfig(wrong),
      InvalidArgumentError,
      'GlobalRootConfig account data has discriminator a660c2e81968eb3e, expected a760c2e81968eb3e',
    );
  });

  it('refuses to encode a root that is not 32 bytes', () => {
    const bad = {
      ...globalRootConfig,
      roots: [{ ...entry(4n, 1), root: new Uint8Array(31) }, ...globalRootConfig.roots.slice(1)],
    };
    expectThrows(
      () => encodeGlobalRootConfig(bad as unknown as GlobalRootConfig),
      InvalidArgumentError,
      'roots[0].root must be 32 bytes, got 31',
    );
  });
});

describe('ClaimStateGlobal (90 bytes)', () => {
  it('decodes bytes laid out at the documented offsets and round-trips', () => {
    const data = new Uint8Array(CLAIM_STATE_GLOBAL_SIZE);
    data.set(ACCOUNT_DISCRIMINATORS.ClaimStateGlobal, 0);
    data[8] = 1;
    data[9] = 253;
    data.set(bytes32(0xa5), 10);
    data.set(bytes32(0x09), 42);
    writeU64LE(data, 74, claimState.claimedTotal);
    writeU64LE(data, 82, 6n);
    expect(decodeClaimStateGlobal(data)).toEqual(claimState);
    expect(toHex(encodeClaimStateGlobal(claimState))).toBe(toHex(data));
  });

  it('rejects a wrong size and a wrong discriminator', () => {
    expectThrows(
      () => decodeClaimStateGlobal(new Uint8Array(89)),
      InvalidArgumentError,
      'ClaimStateGlobal account data must be 90 bytes, got 89',
    );
    const asProtocol = new Uint8Array(90);
    asProtocol.set(ACCOUNT_DISCRIMINATORS.ProtocolState);
    expectThrows(
      () => decodeClaimStateGlobal(asProtocol),
      InvalidArgumentError,
      'ClaimStateGlobal account data has discriminator 2133ad86238cc3f8, expected 1c8288cbe7da9da7',
    );
  });

  it('accepts a Buffer (what web3.js returns) at a non-zero offset', () => {
    const pool = Buffer.alloc(200);
    const data = encodeClaimStateGlobal(claimState);
    pool.set(data, 17);
    expect(decodeClaimStateGlobal(pool.subarray(17, 17 + 90))).toEqual(claimState);
  });
});
