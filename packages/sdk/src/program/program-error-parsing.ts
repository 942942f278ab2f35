import type { ProgramConfig } from './program-config.js';
import { defaultProgramId } from './program-defaults-internal.js';
import { ProgramError } from './program-error.js';
import { isProgram, walkProgramLogs } from './program-logs-internal.js';

const ANCHOR_ERROR =
  /^Program log: AnchorError (?:caused by account: (\w+)|thrown in \S+|occurred)\. Error Code: \w+\. Error Number: (\d+)\./;
const FAILED = /^Program (\w+) failed: custom program error: 0x([0-9a-fA-F]+)$/;
const MESSAGE = /(?:Error processing Instruction (\d+): )?custom program error: 0x([0-9a-fA-F]+)/;

/**
 * The program's error in a failed transaction's log messages, or `null` when it did not fail with one. Prefers
 * Anchor's own line (it names the account at fault), else the runtime's `custom program error` line for the
 * program; errors other programs raised inside it come back as `Unknown`, naming that program.
 *
 * @example
 * const sim = await connection.simulateTransaction(tx);
 * const err = programErrorFromLogs(sim.value.logs ?? []); // e.g. err?.name === 'InvalidProof'
 */
export function programErrorFromLogs(
  logs: readonly string[],
  config: Pick<ProgramConfig, 'programId'> = {},
): ProgramError | null {
  const programId = defaultProgramId(config);
  let anchor: { code: number; accountName: string | undefined } | undefined;
  let failed: { code: number; raisedBy: string } | undefined;
  let ourProgramFailed = false;
  walkProgramLogs(logs, (line, program) => {
    const a = ANCHOR_ERROR.exec(line);
    if (a && anchor === undefined && isProgram(program, programId)) {
      anchor = { code: Number(a[2]), accountName: a[1] };
    }
    const f = FAILED.exec(line);
    if (f?.[1] === undefined || f[2] === undefined) return;
    // The innermost failure comes first: that is the program that raised the code.
    failed ??= { code: Number.parseInt(f[2], 16), raisedBy: f[1] };
    if (f[1] === programId.toBase58()) ourProgramFailed = true;
  });
  if (anchor) return new ProgramError(anchor.code, { accountName: anchor.accountName, logs });
  if (!failed || !ourProgramFailed) return null;
  const ours = failed.raisedBy === programId.toBase58();
  return new ProgramError(failed.code, ours ? { logs } : { raisedBy: failed.raisedBy, logs });
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function fromInstructionError(value: unknown): { index: number; code: number } | undefined {
  const pair = field(value, 'InstructionError');
  if (!Array.isArray(pair) || typeof pair[0] !== 'number') return undefined;
  const code = field(pair[1], 'Custom');
  return typeof code === 'number' ? { index: pair[0], code } : undefined;
}

/**
 * The program's error in whatever a send, simulation or confirmation failed with: a `TransactionError` such as
 * `{ InstructionError: [1, { Custom: 6007 }] }`, a result carrying `{ err, logs }`, web3.js's
 * `SendTransactionError` (its logs), or an error whose message names a custom program error. `null` otherwise.
 *
 * @example
 * const { value } = await connection.confirmTransaction(strategy);
 * const err = programErrorFromTransactionError(value.err); // ProgramError { code: 6007, name: 'RootTooOldOrMissing' }
 */
export function programErrorFromTransactionError(
  error: unknown,
  config: Pick<ProgramConfig, 'programId'> = {},
): ProgramError | null {
  if (error instanceof ProgramError) return error;
  const instruction = fromInstructionError(error) ?? fromInstructionError(field(error, 'err'));
  const logs = field(error, 'logs');
  if (Array.isArray(logs) && logs.every((l) => typeof l === 'string')) {
    const fromLogs = programErrorFromLogs(logs, config);
    if (fromLogs && (instruction === undefined || instruction.code === fromLogs.code)) {
      return new ProgramError(fromLogs.code, {
        instructionIndex: instruction?.index,
        accountName: fromLogs.accountName,
        raisedBy: fromLogs.raisedBy,
        logs,
        cause: error,
      });
    }
  }
  if (instruction) return new ProgramError(instruction.code, { instructionIndex: instruction.index, cause: error });
  const text = typeof error === 'string' ? error : field(error, 'message');
  const m = typeof text === 'string' ? MESSAGE.exec(text) : null;
  if (m?.[2] === undefined) return null;
  const index = m[1] === undefined ? undefined : Number(m[1]);
  return new ProgramError(Number.parseInt(m[2], 16), { instructionIndex: index, cause: error });
}
