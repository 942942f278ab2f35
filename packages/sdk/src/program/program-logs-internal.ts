import type { PublicKey } from '@solana/web3.js';

const INVOKE = /^Program (\w+) invoke \[\d+\]$/;
const EXIT = /^Program (\w+) (?:success|failed)/;

/**
 * Calls `visit` for each log line with the program that was executing when it was written. Runtime logs bracket
 * every invocation (`invoke [n]` ... `success` / `failed`), so a stack tells whose `Program data:` or `Program log:`
 * a line is, even when programs call each other. Lines outside any invocation get `undefined`.
 */
export function walkProgramLogs(
  logs: readonly string[],
  visit: (line: string, program: string | undefined) => void,
): void {
  const stack: string[] = [];
  for (const line of logs) {
    const invoke = INVOKE.exec(line);
    if (invoke?.[1] !== undefined) {
      stack.push(invoke[1]);
      continue;
    }
    visit(line, stack[stack.length - 1]);
    if (EXIT.test(line)) stack.pop();
  }
}

/** Whether `program` (a base58 id from the logs) is `programId`. */
export function isProgram(program: string | undefined, programId: PublicKey): boolean {
  return program !== undefined && program === programId.toBase58();
}
