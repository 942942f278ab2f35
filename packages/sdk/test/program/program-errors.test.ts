import { SendTransactionError } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import {
  ATTENTION_ORACLE_PROGRAM_ID,
  isProgramError,
  ProgramError,
  ProgramErrorCode,
  programErrorFromLogs,
  programErrorFromTransactionError,
  TOKEN_2022_PROGRAM_ID,
} from '../../src/program/index.js';
import { key } from './fixtures.js';

const program = ATTENTION_ORACLE_PROGRAM_ID.toBase58();
const token = TOKEN_2022_PROGRAM_ID.toBase58();

function failingLogs(code: number, anchorLine?: string): string[] {
  return [
    'Program ComputeBudget111111111111111111111111111111 invoke [1]',
    'Program ComputeBudget111111111111111111111111111111 success',
    `Program ${program} invoke [1]`,
    'Program log: Instruction: ClaimGlobal',
    ...(anchorLine ? [anchorLine] : []),
    `Program ${program} consumed 20000 of 200000 compute units`,
    `Program ${program} failed: custom program error: 0x${code.toString(16)}`,
  ];
}

describe('ProgramError codes', () => {
  it('codes are pinned: never renumbered, never reused', () => {
    expect(ProgramErrorCode).toEqual({
      InstructionFallbackNotFound: 101,
      InstructionDidNotDeserialize: 102,
      ConstraintMut: 2000,
      ConstraintSeeds: 2006,
      ConstraintAssociated: 2009,
      ConstraintAddress: 2012,
      ConstraintTokenMint: 2014,
      ConstraintTokenOwner: 2015,
      AccountDiscriminatorMismatch: 3002,
      AccountOwnedByWrongProgram: 3007,
      AccountNotSigner: 3010,
      AccountNotInitialized: 3012,
      Unauthorized: 6000,
      ProtocolPaused: 6002,
      InvalidProof: 6004,
      InvalidProofLength: 6005,
      InvalidRootSeq: 6006,
      RootTooOldOrMissing: 6007,
      InvalidClaimState: 6008,
      InvalidChannelState: 6009,
      InvalidMint: 6016,
      InvalidTokenProgram: 6019,
      MathOverflow: 6041,
      GlobalRootNotInitialized: 6052,
    });
    expect(new Set(Object.values(ProgramErrorCode)).size).toBe(Object.keys(ProgramErrorCode).length);
  });

  it('every code has its name and a message that leads with name and number', () => {
    for (const [name, code] of Object.entries(ProgramErrorCode)) {
      const error = new ProgramError(code);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.message.startsWith(`${name} (${code}): `)).toBe(true);
      expect(error.message.length).toBeGreaterThan(`${name} (${code}): `.length + 15);
    }
    expect(new ProgramError(6007).message).toBe(
      'RootTooOldOrMissing (6007): root_seq is not one of the four most recent roots on chain (too old, or never published)',
    );
  });

  it('a number the SDK does not name is Unknown, keeping the number', () => {
    const error = new ProgramError(6042);
    expect(error.name).toBe('Unknown');
    expect(error.code).toBe(6042);
    expect(error.message).toBe('Unknown (6042): custom program error 6042 (0x179a)');
  });

  it('isProgramError narrows by code', () => {
    const error = new ProgramError(ProgramErrorCode.InvalidProof);
    expect(isProgramError(error)).toBe(true);
    expect(isProgramError(error, ProgramErrorCode.InvalidProof)).toBe(true);
    expect(isProgramError(error, ProgramErrorCode.InvalidMint)).toBe(false);
    expect(isProgramError(new Error('x'))).toBe(false);
  });
});

describe('programErrorFromTransactionError', () => {
  it('recognizes { InstructionError: [i, { Custom: n }] }', () => {
    const error = programErrorFromTransactionError({ InstructionError: [2, { Custom: 6004 }] });
    expect(error?.name).toBe('InvalidProof');
    expect(error?.code).toBe(6004);
    expect(error?.instructionIndex).toBe(2);
  });

  it('ignores errors that are not custom program errors', () => {
    expect(programErrorFromTransactionError({ InstructionError: [0, 'InvalidAccountData'] })).toBeNull();
    expect(programErrorFromTransactionError('BlockhashNotFound')).toBeNull();
    expect(programErrorFromTransactionError(null)).toBeNull();
    expect(programErrorFromTransactionError(new Error('fetch failed'))).toBeNull();
  });

  it('reads a simulation result { err, logs }, taking the account name from the logs', () => {
    const logs = failingLogs(
      2015,
      'Program log: AnchorError caused by account: treasury_ata. Error Code: ConstraintTokenOwner. Error Number: 2015. Error Message: A token owner constraint was violated.',
    );
    const error = programErrorFromTransactionError({ err: { InstructionError: [1, { Custom: 2015 }] }, logs });
    expect(error?.name).toBe('ConstraintTokenOwner');
    expect(error?.instructionIndex).toBe(1);
    expect(error?.accountName).toBe('treasury_ata');
    expect(error?.message).toMatch(
      /^ConstraintTokenOwner \(2015\): the treasury account is not the one the deployed program requires; set `treasury` in the program config .*95qQ4kePYadvMQETjjqCmHJLzJq9YnrAEBwtVfzqMwAF\) \(account treasury_ata\)$/,
    );
  });

  it("reads web3.js's SendTransactionError and its message", () => {
    const send = new SendTransactionError({
      action: 'simulate',
      signature: '',
      transactionMessage: 'Transaction simulation failed: Error processing Instruction 1: custom program error: 0x1777',
      logs: failingLogs(0x1777),
    });
    const error = programErrorFromTransactionError(send);
    expect(error?.name).toBe('RootTooOldOrMissing');
    expect(error?.cause).toBe(send);
    const bare = programErrorFromTransactionError(
      new Error('failed to send transaction: Error processing Instruction 0: custom program error: 0x1770'),
    );
    expect(bare?.name).toBe('Unauthorized');
    expect(bare?.instructionIndex).toBe(0);
  });

  it('returns a ProgramError unchanged', () => {
    const error = new ProgramError(6002);
    expect(programErrorFromTransactionError(error)).toBe(error);
  });
});

describe('programErrorFromLogs', () => {
  it("reads Anchor's error line", () => {
    const error = programErrorFromLogs(
      failingLogs(
        6006,
        'Program log: AnchorError thrown in programs/attention-oracle/src/instructions/global.rs:120. Error Code: InvalidRootSeq. Error Number: 6006. Error Message: Invalid root sequence.',
      ),
    );
    expect(error?.name).toBe('InvalidRootSeq');
    expect(error?.accountName).toBeUndefined();
  });

  it("reads the runtime's custom program error line when Anchor wrote none", () => {
    expect(programErrorFromLogs(failingLogs(6052))?.name).toBe('GlobalRootNotInitialized');
    expect(programErrorFromLogs(failingLogs(101))?.name).toBe('InstructionFallbackNotFound');
  });

  it('names the called program when the error came from it', () => {
    const logs = [
      `Program ${program} invoke [1]`,
      `Program ${token} invoke [2]`,
      'Program log: Error: insufficient funds',
      `Program ${token} failed: custom program error: 0x1`,
      `Program ${program} consumed 30000 of 200000 compute units`,
      `Program ${program} failed: custom program error: 0x1`,
    ];
    const error = programErrorFromLogs(logs);
    expect(error?.name).toBe('Unknown');
    expect(error?.raisedBy).toBe(token);
    expect(error?.message).toBe(`Unknown (1): custom program error 1 (0x1) raised by program ${token}`);
  });

  it('is null for successful logs and for failures of other programs only', () => {
    expect(programErrorFromLogs([`Program ${program} invoke [1]`, `Program ${program} success`])).toBeNull();
    expect(programErrorFromLogs(failingLogs(6004), { programId: key(0x51) })).toBeNull();
  });
});
