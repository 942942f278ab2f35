import { fromHex, InvalidArgumentError, writeU64LE } from '@attention-oracle/core';
import { describe, expect, it } from 'vitest';
import {
  ATTENTION_ORACLE_PROGRAM_ID,
  decodeEventLogLine,
  decodeGlobalRewardsClaimed,
  decodeGlobalRootPublished,
  encodeGlobalRewardsClaimed,
  encodeGlobalRootPublished,
  type GlobalRewardsClaimed,
  type GlobalRootPublished,
  parseProgramEvents,
  TOKEN_2022_PROGRAM_ID,
} from '../../src/program/index.js';
import { bytes32, expectThrows, key, vectors } from './fixtures.js';

const ev = vectors.program.event_discriminators;
const program = ATTENTION_ORACLE_PROGRAM_ID.toBase58();
const token = TOKEN_2022_PROGRAM_ID.toBase58();
const line = (bytes: Uint8Array) => `Program data: ${Buffer.from(bytes).toString('base64')}`;

// Hand-built payloads from the notes' field list (discriminator, then Borsh fields in order).
function claimedBytes(): Uint8Array {
  const b = new Uint8Array(64);
  b.set(fromHex(ev.GlobalRewardsClaimed as string), 0);
  b.set(bytes32(0x09), 8);
  writeU64LE(b, 40, 995n);
  writeU64LE(b, 48, 1200n);
  writeU64LE(b, 56, 7n);
  return b;
}
const claimed: GlobalRewardsClaimed = { claimer: key(0x09), amount: 995n, cumulativeTotal: 1200n, rootSeq: 7n };

function publishedBytes(): Uint8Array {
  const b = new Uint8Array(152);
  b.set(fromHex(ev.GlobalRootPublished as string), 0);
  b.set(bytes32(0x07), 8);
  writeU64LE(b, 40, 8n);
  b.set(bytes32(0xaa), 48);
  b.set(bytes32(0xbb), 80);
  b.set(bytes32(0xee), 112);
  writeU64LE(b, 144, 123_456_789n);
  return b;
}
const published: GlobalRootPublished = {
  mint: key(0x07),
  rootSeq: 8n,
  root: bytes32(0xaa),
  datasetHash: bytes32(0xbb),
  publisher: key(0xee),
  slot: 123_456_789n,
};

describe('event payloads', () => {
  it('decode hand-built bytes and round-trip with the encoders', () => {
    expect(decodeGlobalRewardsClaimed(claimedBytes())).toEqual(claimed);
    expect(encodeGlobalRewardsClaimed(claimed)).toEqual(claimedBytes());
    expect(decodeGlobalRootPublished(publishedBytes())).toEqual(published);
    expect(encodeGlobalRootPublished(published)).toEqual(publishedBytes());
  });

  it('reject a wrong size or discriminator', () => {
    expectThrows(
      () => decodeGlobalRewardsClaimed(claimedBytes().subarray(0, 56)),
      InvalidArgumentError,
      'GlobalRewardsClaimed event data must be 64 bytes, got 56',
    );
    expectThrows(
      () => decodeGlobalRootPublished(new Uint8Array([...claimedBytes(), ...new Uint8Array(88)])),
      InvalidArgumentError,
      'GlobalRootPublished event data has discriminator 955e89d5189b603d, expected f53ed38c750d1ebc',
    );
  });
});

describe('event log lines', () => {
  it('decodes one Program data line; other lines and unknown events are null', () => {
    expect(decodeEventLogLine(line(claimedBytes()))).toEqual({ name: 'GlobalRewardsClaimed', data: claimed });
    expect(decodeEventLogLine(line(publishedBytes()))).toEqual({ name: 'GlobalRootPublished', data: published });
    expect(decodeEventLogLine('Program log: Instruction: ClaimGlobal')).toBeNull();
    expect(decodeEventLogLine(line(new Uint8Array(64).fill(3)))).toBeNull();
  });

  it('rejects a known event of the wrong length and text that is not base64', () => {
    expectThrows(
      () => decodeEventLogLine(line(claimedBytes().subarray(0, 60))),
      InvalidArgumentError,
      'GlobalRewardsClaimed event data must be 64 bytes, got 60',
    );
    expectThrows(
      () => decodeEventLogLine('Program data: **'),
      InvalidArgumentError,
      'Program data is not base64: "**"',
    );
  });

  it("scans a transaction's logs and keeps only the program's own events, in order", () => {
    const logs = [
      'Program ComputeBudget111111111111111111111111111111 invoke [1]',
      'Program ComputeBudget111111111111111111111111111111 success',
      `Program ${program} invoke [1]`,
      'Program log: Instruction: PublishGlobalRoot',
      line(publishedBytes()),
      `Program ${program} consumed 9000 of 200000 compute units`,
      `Program ${program} success`,
      `Program ${program} invoke [1]`,
      'Program log: Instruction: ClaimGlobal',
      `Program ${token} invoke [2]`,
      'Program log: Instruction: TransferChecked',
      // Another program's data with the same discriminator must not count as ours.
      line(claimedBytes().map((b, i) => (i === 63 ? 99 : b))),
      `Program ${token} consumed 6000 of 180000 compute units`,
      `Program ${token} success`,
      line(claimedBytes()),
      `Program ${program} consumed 30000 of 191000 compute units`,
      `Program ${program} success`,
      line(claimedBytes()), // outside any invocation
    ];
    expect(parseProgramEvents(logs)).toEqual([
      { name: 'GlobalRootPublished', data: published },
      { name: 'GlobalRewardsClaimed', data: claimed },
    ]);
    expect(parseProgramEvents(logs, { programId: key(0x51) })).toEqual([]);
  });
});
