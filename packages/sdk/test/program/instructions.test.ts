import { InvalidArgumentError, toHex } from '@attention-oracle/core';
import { getAssociatedTokenAddressSync, TOKEN_2022_PROGRAM_ID as SPL_TOKEN_2022 } from '@solana/spl-token';
import type { PublicKey, TransactionInstruction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  ATTENTION_ORACLE_PROGRAM_ID,
  findClaimStateGlobalPda,
  getClaimGlobalInstruction,
  getClaimGlobalSponsoredInstruction,
  getClaimGlobalSponsoredV2Instruction,
  getClaimGlobalV2Instruction,
  getClaimInstruction,
  getInitializeGlobalRootInstruction,
  getInitializeProtocolStateInstruction,
  getPublishGlobalRootInstruction,
  resolveProgramConfig,
  SYSTEM_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
} from '../../src/program/index.js';
import { bytes32, expectThrows, hexRun, key, vectors } from './fixtures.js';

const d = vectors.program.discriminators;
const c = resolveProgramConfig();
const payer = key(0xee);
const claimer = key(0x09);
const proof = [bytes32(0x11), bytes32(0x22)];
const claimState = findClaimStateGlobalPda(claimer).address;
const claimerAta = getAssociatedTokenAddressSync(c.mint, claimer, false, SPL_TOKEN_2022);

type Flags = [PublicKey, 'signer+writable' | 'writable' | 'readonly'];
function metas(ix: TransactionInstruction): Flags[] {
  return ix.keys.map((k) => {
    expect(k.isSigner && !k.isWritable).toBe(false);
    return [k.pubkey, k.isSigner ? 'signer+writable' : k.isWritable ? 'writable' : 'readonly'];
  });
}

// The notes' account table, from protocol_state on, shared by all four claim forms.
const claimTail: Flags[] = [
  [c.protocolState, 'writable'],
  [c.globalRootConfig, 'readonly'],
  [claimState, 'writable'],
  [c.mint, 'readonly'],
  [c.treasury, 'writable'],
  [claimerAta, 'writable'],
  [TOKEN_2022_PROGRAM_ID, 'readonly'],
  [ASSOCIATED_TOKEN_PROGRAM_ID, 'readonly'],
  [SYSTEM_PROGRAM_ID, 'readonly'],
];
const selfSigned: Flags[] = [[claimer, 'signer+writable'], ...claimTail];
const sponsored: Flags[] = [[payer, 'signer+writable'], [claimer, 'readonly'], ...claimTail];

// Hand-built argument bytes: root_seq 7, then amounts, then the proof as u32le count + siblings.
const seq7 = '0700000000000000';
const proofHex = `02000000${hexRun(0x11)}${hexRun(0x22)}`;
const v4Args = `${seq7}e803000000000000${proofHex}`; // cumulative_total 1000
const v5Args = `${seq7}e803000000000000c800000000000000${proofHex}`; // base_yield 1000, attention_bonus 200

describe('initialize_global_root and publish_global_root', () => {
  it('initialize_global_root: discriminator only; payer, protocol_state, global_root_config (created), system', () => {
    const ix = getInitializeGlobalRootInstruction({ payer });
    expect(ix.programId.equals(ATTENTION_ORACLE_PROGRAM_ID)).toBe(true);
    expect(toHex(ix.data)).toBe(d.initialize_global_root);
    expect(metas(ix)).toEqual([
      [payer, 'signer+writable'],
      [c.protocolState, 'readonly'],
      [c.globalRootConfig, 'writable'],
      [SYSTEM_PROGRAM_ID, 'readonly'],
    ]);
  });

  it('initialize_protocol_state: publisher, treasury (default the ProtocolState ATA), oracle authority; admin, protocol_state, mint, system', () => {
    const publisher = key(0x51);
    const oracle = key(0x52);
    const ix = getInitializeProtocolStateInstruction({ admin: payer, publisher, oracleAuthority: oracle });
    expect(toHex(ix.data)).toBe(
      `${d.initialize_protocol_state}${'51'.repeat(32)}${toHex(c.treasury.toBytes())}${'52'.repeat(32)}`,
    );
    expect(metas(ix)).toEqual([
      [payer, 'signer+writable'],
      [c.protocolState, 'writable'],
      [c.mint, 'readonly'],
      [SYSTEM_PROGRAM_ID, 'readonly'],
    ]);
    const treasury = key(0x53);
    const custom = getInitializeProtocolStateInstruction({
      admin: payer,
      publisher,
      treasury,
      oracleAuthority: oracle,
    });
    expect(toHex(custom.data).slice(16 + 64, 16 + 128)).toBe('53'.repeat(32));
  });

  it('publish_global_root: root_seq u64le, root, dataset_hash; payer, protocol_state, global_root_config', () => {
    const ix = getPublishGlobalRootInstruction({
      payer,
      rootSeq: 0x0102030405060708n,
      root: bytes32(0xaa),
      datasetHash: bytes32(0xbb),
    });
    expect(toHex(ix.data)).toBe(`${d.publish_global_root}0807060504030201${hexRun(0xaa)}${hexRun(0xbb)}`);
    expect(ix.data).toHaveLength(80);
    expect(metas(ix)).toEqual([
      [payer, 'signer+writable'],
      [c.protocolState, 'readonly'],
      [c.globalRootConfig, 'writable'],
    ]);
  });

  it('publish_global_root rejects a short root and a negative seq', () => {
    const base = { payer, rootSeq: 1n, root: bytes32(1), datasetHash: bytes32(2) };
    expectThrows(
      () => getPublishGlobalRootInstruction({ ...base, root: new Uint8Array(31) }),
      InvalidArgumentError,
      'root must be 32 bytes, got 31',
    );
    expectThrows(
      () => getPublishGlobalRootInstruction({ ...base, rootSeq: -1n }),
      InvalidArgumentError,
      'rootSeq must be a u64 (0..2^64-1), got -1',
    );
  });

  it('uses the program id, mint and PDAs from the config', () => {
    const programId = key(0x51);
    const mint = key(0x52);
    const custom = resolveProgramConfig({ programId, mint });
    const ix = getInitializeGlobalRootInstruction({ payer }, { programId, mint });
    expect(ix.programId.equals(programId)).toBe(true);
    expect(ix.keys[1]?.pubkey.equals(custom.protocolState)).toBe(true);
    expect(ix.keys[2]?.pubkey.equals(custom.globalRootConfig)).toBe(true);
  });
});

describe('claim instructions', () => {
  it('claim_global: V4 args and the self-signed account table', () => {
    const ix = getClaimGlobalInstruction({ claimer, rootSeq: 7n, cumulativeTotal: 1000n, proof });
    expect(toHex(ix.data)).toBe(`${d.claim_global}${v4Args}`);
    expect(metas(ix)).toEqual(selfSigned);
  });

  it('claim_global_sponsored: V4 args; payer signs, claimer is a plain account', () => {
    const ix = getClaimGlobalSponsoredInstruction({ payer, claimer, rootSeq: 7n, cumulativeTotal: 1000n, proof });
    expect(toHex(ix.data)).toBe(`${d.claim_global_sponsored}${v4Args}`);
    expect(metas(ix)).toEqual(sponsored);
  });

  it('claim_global_v2 and claim_global_sponsored_v2: V5 args', () => {
    const input = { claimer, rootSeq: 7n, baseYield: 1000n, attentionBonus: 200n, proof };
    const self = getClaimGlobalV2Instruction(input);
    expect(toHex(self.data)).toBe(`${d.claim_global_v2}${v5Args}`);
    expect(metas(self)).toEqual(selfSigned);
    const paid = getClaimGlobalSponsoredV2Instruction({ ...input, payer });
    expect(toHex(paid.data)).toBe(`${d.claim_global_sponsored_v2}${v5Args}`);
    expect(metas(paid)).toEqual(sponsored);
  });

  it('an empty proof encodes as a zero count', () => {
    const ix = getClaimGlobalInstruction({ claimer, rootSeq: 1n, cumulativeTotal: 1n, proof: [] });
    expect(toHex(ix.data)).toBe(`${d.claim_global}0100000000000000010000000000000000000000`);
  });

  it('getClaimInstruction picks the form from the amounts and the payer', () => {
    const v4 = { claimer, rootSeq: 7n, cumulativeTotal: 1000n, proof };
    const v5 = { claimer, rootSeq: 7n, baseYield: 1000n, attentionBonus: 200n, proof };
    expect(toHex(getClaimInstruction(v4).data)).toBe(`${d.claim_global}${v4Args}`);
    expect(toHex(getClaimInstruction({ ...v4, payer }).data)).toBe(`${d.claim_global_sponsored}${v4Args}`);
    expect(toHex(getClaimInstruction(v5).data)).toBe(`${d.claim_global_v2}${v5Args}`);
    expect(toHex(getClaimInstruction({ ...v5, payer }).data)).toBe(`${d.claim_global_sponsored_v2}${v5Args}`);
    // A payer that is the claimer is a self-signed claim.
    expect(metas(getClaimInstruction({ ...v4, payer: claimer }))).toEqual(selfSigned);
  });

  it('rejects proofs the program would refuse, and malformed amounts', () => {
    const base = { claimer, rootSeq: 7n, cumulativeTotal: 1n };
    const deep = Array.from({ length: 33 }, () => bytes32(1));
    expectThrows(
      () => getClaimGlobalInstruction({ ...base, proof: deep }),
      InvalidArgumentError,
      'proof has 33 siblings; the program accepts at most 32 (InvalidProofLength)',
    );
    expect(getClaimGlobalInstruction({ ...base, proof: deep.slice(1) }).data).toHaveLength(8 + 16 + 4 + 32 * 32);
    expectThrows(
      () => getClaimGlobalInstruction({ ...base, proof: [bytes32(1), new Uint8Array(33)] }),
      InvalidArgumentError,
      'proof[1] must be 32 bytes, got 33',
    );
    expectThrows(
      () => getClaimGlobalInstruction({ ...base, cumulativeTotal: 1n << 64n, proof }),
      InvalidArgumentError,
      'cumulativeTotal must be a u64 (0..2^64-1), got 18446744073709551616',
    );
    const max = (1n << 64n) - 1n;
    expectThrows(
      () => getClaimGlobalV2Instruction({ claimer, rootSeq: 1n, baseYield: max, attentionBonus: 1n, proof }),
      InvalidArgumentError,
      'baseYield + attentionBonus exceeds u64 (the program would fail with MathOverflow)',
    );
    const both = { ...base, baseYield: 1n, attentionBonus: 1n, proof } as unknown as Parameters<
      typeof getClaimInstruction
    >[0];
    expectThrows(
      () => getClaimInstruction(both),
      InvalidArgumentError,
      'give either cumulativeTotal (V4 leaf) or baseYield and attentionBonus (V5 leaf), exactly one of the two',
    );
  });

  it('the treasury comes from the config', () => {
    const treasury = key(0x77);
    const ix = getClaimGlobalInstruction({ claimer, rootSeq: 7n, cumulativeTotal: 1000n, proof }, { treasury });
    expect(ix.keys[5]?.pubkey.equals(treasury)).toBe(true);
    expect(ix.keys[5]?.isWritable).toBe(true);
  });
});
