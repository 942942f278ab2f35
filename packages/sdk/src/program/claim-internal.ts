import { InvalidArgumentError, requireU64, U64_MAX } from '@attention-oracle/core';
import { type AccountMeta, TransactionInstruction } from '@solana/web3.js';
import { ByteWriter } from './bytes-internal.js';
import type { ClaimAccounts } from './claim-accounts.js';
import { INSTRUCTION_DISCRIMINATORS } from './discriminators.js';
import { account, instructionData, proofSize, requireProof, writeProof } from './instruction-internal.js';

/**
 * The account list of the four claim instructions, in the program's order. The sponsored forms put the payer
 * first and the claimer second as a plain read-only account: the proof, not a signature, authorizes the claimer.
 */
export function claimAccountMetas(a: ClaimAccounts, sponsored: boolean): AccountMeta[] {
  const parties = sponsored
    ? [account(a.payer, { signer: true, writable: true }), account(a.claimer)]
    : [account(a.claimer, { signer: true, writable: true })];
  return [
    ...parties,
    account(a.protocolState, { writable: true }),
    account(a.globalRootConfig),
    account(a.claimState, { writable: true }),
    account(a.mint),
    account(a.treasury, { writable: true }),
    account(a.claimerAta, { writable: true }),
    account(a.tokenProgram),
    account(a.associatedTokenProgram),
    account(a.systemProgram),
  ];
}

/** `root_seq u64, cumulative_total u64, proof` after the discriminator (V4 leaves). */
export function encodeClaimV4Data(
  name: 'claim_global' | 'claim_global_sponsored',
  rootSeq: bigint,
  cumulativeTotal: bigint,
  proof: readonly Uint8Array[],
): Uint8Array {
  requireProof(proof);
  const w = new ByteWriter(8 + 16 + proofSize(proof))
    .raw(INSTRUCTION_DISCRIMINATORS[name])
    .u64(rootSeq, 'rootSeq')
    .u64(cumulativeTotal, 'cumulativeTotal');
  return writeProof(w, proof).bytes;
}

/** `root_seq u64, base_yield u64, attention_bonus u64, proof` after the discriminator (V5 leaves). */
export function encodeClaimV5Data(
  name: 'claim_global_v2' | 'claim_global_sponsored_v2',
  rootSeq: bigint,
  baseYield: bigint,
  attentionBonus: bigint,
  proof: readonly Uint8Array[],
): Uint8Array {
  requireProof(proof);
  // The program adds them with overflow checks (MathOverflow); refusing here saves a doomed transaction.
  if (requireU64(baseYield, 'baseYield') + requireU64(attentionBonus, 'attentionBonus') > U64_MAX) {
    throw new InvalidArgumentError('baseYield + attentionBonus exceeds u64 (the program would fail with MathOverflow)');
  }
  const w = new ByteWriter(8 + 24 + proofSize(proof))
    .raw(INSTRUCTION_DISCRIMINATORS[name])
    .u64(rootSeq, 'rootSeq')
    .u64(baseYield, 'baseYield')
    .u64(attentionBonus, 'attentionBonus');
  return writeProof(w, proof).bytes;
}

/** Assembles a claim instruction from its accounts and encoded data. */
export function claimInstruction(
  accounts: ClaimAccounts,
  sponsored: boolean,
  data: Uint8Array,
): TransactionInstruction {
  return new TransactionInstruction({
    programId: accounts.programId,
    keys: claimAccountMetas(accounts, sponsored),
    data: instructionData(data),
  });
}
