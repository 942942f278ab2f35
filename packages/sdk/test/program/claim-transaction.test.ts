import { InvalidArgumentError } from '@attention-oracle/core';
import {
  AddressLookupTableAccount,
  Keypair,
  type PublicKey,
  TransactionMessage,
  VersionedTransaction,
} from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import {
  type BuildClaimTransactionInput,
  buildClaimTransaction,
  claimLookupTableAddresses,
  getClaimInstruction,
  getTransactionSize,
  MAX_TRANSACTION_SIZE,
  TransactionTooLargeError,
} from '../../src/program/index.js';
import { bytes32, expectThrows } from './fixtures.js';

const claimer = Keypair.generate();
const payer = Keypair.generate();
const recentBlockhash = Keypair.generate().publicKey.toBase58();

function lookupTable(addresses: PublicKey[]): AddressLookupTableAccount {
  return new AddressLookupTableAccount({
    key: Keypair.generate().publicKey,
    state: { deactivationSlot: (1n << 64n) - 1n, lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, addresses },
  });
}
const table = lookupTable(claimLookupTableAddresses());

type Kind = 'claim_global' | 'claim_global_sponsored' | 'claim_global_v2' | 'claim_global_sponsored_v2';
const KINDS: Kind[] = ['claim_global', 'claim_global_sponsored', 'claim_global_v2', 'claim_global_sponsored_v2'];

function input(kind: Kind, depth: number, computeBudget: boolean): BuildClaimTransactionInput {
  const proof = Array.from({ length: depth }, (_, i) => bytes32(i + 1));
  const amounts = kind.endsWith('v2') ? { baseYield: 1000n, attentionBonus: 200n } : { cumulativeTotal: 1200n };
  return {
    claimer: claimer.publicKey,
    ...(kind.includes('sponsored') ? { payer: payer.publicKey } : {}),
    rootSeq: 7n,
    proof,
    ...amounts,
    recentBlockhash,
    ...(computeBudget ? { computeUnitLimit: 200_000, computeUnitPrice: 10_000n } : {}),
  };
}

// Expected sizes worked out by hand from the wire format (one signature: the claimer or the sponsoring payer).
const shortVec = (n: number) => (n < 128 ? 1 : 2);
function expectedSizes(kind: Kind, depth: number, computeBudget: boolean) {
  const sponsored = kind.includes('sponsored');
  const data = 8 + (kind.endsWith('v2') ? 24 : 16) + 4 + 32 * depth;
  const claimIx = 1 + 1 + (sponsored ? 11 : 10) + shortVec(data) + data;
  const budgetIxs = computeBudget ? 8 + 12 : 0; // set_compute_unit_limit (u32), set_compute_unit_price (u64)
  const signatures = 1 + 64;
  const legacyKeys = (sponsored ? 12 : 11) + (computeBudget ? 1 : 0);
  const legacy = signatures + 3 + 1 + 32 * legacyKeys + 32 + 1 + claimIx + budgetIxs;
  // v0: payer/claimer, claim state, claimer ATA and invoked programs stay static; the table supplies
  // protocol_state and treasury (writable) and global_root_config, mint, token, ATA and system programs.
  const staticKeys = (sponsored ? 5 : 4) + (computeBudget ? 1 : 0);
  const lookups = 1 + 32 + 1 + 2 + 1 + 5;
  const v0 = signatures + 1 + 3 + 1 + 32 * staticKeys + 32 + 1 + claimIx + budgetIxs + lookups;
  return { legacy, v0 };
}

function serialize(built: ReturnType<typeof buildClaimTransaction>, kind: Kind): Uint8Array {
  const signer = kind.includes('sponsored') ? payer : claimer;
  if (built.version === 'legacy') {
    built.transaction.sign(signer);
    return built.transaction.serialize();
  }
  built.transaction.sign([signer]);
  return built.transaction.serialize();
}

describe('claim transaction sizes', () => {
  const cases = KINDS.flatMap((kind) =>
    [1, 20, 23, 24].flatMap((depth) => [false, true].map((cb) => ({ kind, depth, cb }))),
  );

  it.each(cases)(
    '$kind, depth $depth, compute budget $cb: legacy when it fits, else v0 + ALT, <= 1232 bytes',
    ({ kind, depth, cb }) => {
      const expected = expectedSizes(kind, depth, cb);
      const built = buildClaimTransaction({ ...input(kind, depth, cb), lookupTable: table });
      const fitsLegacy = expected.legacy <= MAX_TRANSACTION_SIZE;
      expect(built.version).toBe(fitsLegacy ? 'legacy' : 0);
      expect(built.size).toBe(fitsLegacy ? expected.legacy : expected.v0);
      const wire = serialize(built, kind);
      expect(wire.length).toBe(built.size);
      expect(wire.length).toBeLessThanOrEqual(MAX_TRANSACTION_SIZE);
      if (!fitsLegacy) {
        expectThrows(
          () => buildClaimTransaction(input(kind, depth, cb)),
          TransactionTooLargeError,
          `claim transaction is ${expected.legacy} bytes as a legacy transaction, over the 1232-byte limit: pass \`lookupTable\`, an address lookup table holding claimLookupTableAddresses(config)`,
        );
      } else {
        expect(buildClaimTransaction(input(kind, depth, cb)).version).toBe('legacy');
      }
    },
  );

  it('the v0 message resolves through the table to exactly the claim instruction', () => {
    const claim = input('claim_global_sponsored_v2', 24, true);
    const built = buildClaimTransaction({ ...claim, lookupTable: table });
    if (built.version !== 0) throw new Error('expected a v0 transaction');
    const wire = serialize(built, 'claim_global_sponsored_v2');
    const decoded = VersionedTransaction.deserialize(wire);
    const message = TransactionMessage.decompile(decoded.message, { addressLookupTableAccounts: [table] });
    expect(message.payerKey.equals(payer.publicKey)).toBe(true);
    expect(message.instructions).toHaveLength(3);
    const [limit, price, ix] = message.instructions;
    expect(limit?.data.toString('hex')).toBe('02400d0300'); // set_compute_unit_limit(200000)
    expect(price?.data.toString('hex')).toBe('031027000000000000'); // set_compute_unit_price(10000)
    const expected = getClaimInstruction(claim);
    expect(ix?.programId.equals(expected.programId)).toBe(true);
    expect(ix?.data.equals(expected.data)).toBe(true);
    expect(ix?.keys.map((k) => [k.pubkey.toBase58(), k.isSigner, k.isWritable])).toEqual(
      expected.keys.map((k) => [k.pubkey.toBase58(), k.isSigner, k.isWritable]),
    );
  });

  it('a legacy transaction carries the blockhash, fee payer and last valid block height', () => {
    const built = buildClaimTransaction({ ...input('claim_global', 1, false), lastValidBlockHeight: 99 });
    if (built.version !== 'legacy') throw new Error('expected a legacy transaction');
    expect(built.transaction.recentBlockhash).toBe(recentBlockhash);
    expect(built.transaction.feePayer?.equals(claimer.publicKey)).toBe(true);
    expect(built.transaction.lastValidBlockHeight).toBe(99);
  });

  it('says what the table lacks when a v0 transaction still does not fit', () => {
    const partial = lookupTable(claimLookupTableAddresses().slice(0, 2));
    const missing = claimLookupTableAddresses()
      .slice(2)
      .map((a) => a.toBase58())
      .join(', ');
    expectThrows(
      () => buildClaimTransaction({ ...input('claim_global_sponsored_v2', 24, true), lookupTable: partial }),
      TransactionTooLargeError,
      new RegExp(
        `^claim transaction is \\d+ bytes as a v0 transaction with the lookup table, over the 1232-byte limit: the lookup table ${partial.key.toBase58()} lacks ${missing}$`,
      ),
    );
  });

  it('refuses a proof too deep for any transaction, with a full table', () => {
    const size = expectedSizes('claim_global', 32, false).v0;
    expectThrows(
      () => buildClaimTransaction({ ...input('claim_global', 32, false), lookupTable: table }),
      TransactionTooLargeError,
      `claim transaction is ${size} bytes as a v0 transaction with the lookup table, over the 1232-byte limit: the proof is too deep for one transaction even with every fixed account in the lookup table`,
    );
  });

  it('validates the blockhash and compute budget values', () => {
    expectThrows(
      () => buildClaimTransaction({ ...input('claim_global', 1, false), computeUnitLimit: 1_400_001 }),
      InvalidArgumentError,
      'computeUnitLimit must be an integer in 1..1400000, got 1400001',
    );
    expectThrows(
      () => buildClaimTransaction({ ...input('claim_global', 1, false), recentBlockhash: 'not-a-hash' }),
      InvalidArgumentError,
      'invalid base58 character "-" at 3',
    );
    expectThrows(
      () => buildClaimTransaction({ ...input('claim_global', 1, false), computeUnitPrice: -1n }),
      InvalidArgumentError,
      'computeUnitPrice must be a u64 of micro-lamports, got -1',
    );
  });

  it('getTransactionSize counts required signatures without signing, and matches the wire', () => {
    const built = buildClaimTransaction(input('claim_global_sponsored', 3, true));
    if (built.version !== 'legacy') throw new Error('expected a legacy transaction');
    const size = getTransactionSize(built.transaction);
    expect(built.transaction.signatures.every((s) => s.signature === null)).toBe(true);
    expect(size).toBe(expectedSizes('claim_global_sponsored', 3, true).legacy);
    built.transaction.sign(payer);
    expect(built.transaction.serialize()).toHaveLength(size);
  });
});
