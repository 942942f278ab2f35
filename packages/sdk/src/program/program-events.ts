import { equalBytes, InvalidArgumentError } from '@attention-oracle/core';
import { EVENT_DISCRIMINATORS } from './discriminators.js';
import {
  decodeGlobalRewardsClaimed,
  decodeGlobalRootPublished,
  type GlobalRewardsClaimed,
  type GlobalRootPublished,
} from './events.js';
import type { ProgramConfig } from './program-config.js';
import { defaultProgramId } from './program-defaults-internal.js';
import { isProgram, walkProgramLogs } from './program-logs-internal.js';

/** An event of the global-root path, tagged by its on-chain name. */
export type AttentionOracleEvent =
  | { readonly name: 'GlobalRootPublished'; readonly data: GlobalRootPublished }
  | { readonly name: 'GlobalRewardsClaimed'; readonly data: GlobalRewardsClaimed };

const PROGRAM_DATA = 'Program data: ';

/**
 * Decodes an event payload by its discriminator; `null` for events of other kinds (the program emits more).
 *
 * @example decodeProgramEvent(payload)?.name // 'GlobalRewardsClaimed'
 */
export function decodeProgramEvent(data: Uint8Array): AttentionOracleEvent | null {
  const discriminator = data.subarray(0, 8);
  if (equalBytes(discriminator, EVENT_DISCRIMINATORS.GlobalRootPublished)) {
    return { name: 'GlobalRootPublished', data: decodeGlobalRootPublished(data) };
  }
  if (equalBytes(discriminator, EVENT_DISCRIMINATORS.GlobalRewardsClaimed)) {
    return { name: 'GlobalRewardsClaimed', data: decodeGlobalRewardsClaimed(data) };
  }
  return null;
}

/**
 * Decodes one `Program data: <base64>` log line; `null` for other lines and other events. It cannot tell which
 * program wrote the line: prefer {@link parseProgramEvents} on a transaction's whole log.
 *
 * @example decodeEventLogLine('Program data: lV6J1RibYD0...')
 */
export function decodeEventLogLine(line: string): AttentionOracleEvent | null {
  if (!line.startsWith(PROGRAM_DATA)) return null;
  // sol_log_data writes each slice as its own base64 word; Anchor's emit! logs exactly one.
  const word = line.slice(PROGRAM_DATA.length).split(' ')[0] ?? '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(word) || word.length % 4 !== 0) {
    throw new InvalidArgumentError(`Program data is not base64: ${JSON.stringify(word.slice(0, 80))}`);
  }
  return decodeProgramEvent(Uint8Array.from(atob(word), (c) => c.charCodeAt(0)));
}

/**
 * The program's events in a transaction's log messages, in order. Only lines written while the Attention Oracle
 * program (`config.programId`) was executing count, so another program's data with a colliding prefix is ignored.
 *
 * @example
 * const tx = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
 * for (const e of parseProgramEvents(tx?.meta?.logMessages ?? [])) if (e.name === 'GlobalRewardsClaimed') console.log(e.data.amount);
 */
export function parseProgramEvents(
  logs: readonly string[],
  config: Pick<ProgramConfig, 'programId'> = {},
): AttentionOracleEvent[] {
  const programId = defaultProgramId(config);
  const events: AttentionOracleEvent[] = [];
  walkProgramLogs(logs, (line, program) => {
    if (!isProgram(program, programId)) return;
    const event = decodeEventLogLine(line);
    if (event) events.push(event);
  });
  return events;
}
