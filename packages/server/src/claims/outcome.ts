// How a claim ended, in the API's words: its state, and the program's error by name.
import { programErrorFromTransactionError } from '@attention-oracle/sdk';
import type { PublicKey } from '@solana/web3.js';

/** A claim's state as the API reports it (`not-found`: the chain has not seen the signature). */
export type ClaimState = 'not-found' | 'pending' | 'confirmed' | 'finalized' | 'failed';

/** Why a claim failed: the program's error name when it raised one (e.g. RootTooOldOrMissing), else a generic one. */
export interface ClaimError {
  name: string;
  message: string;
}

/**
 * The claim error of a transaction error (`{ InstructionError: [0, { Custom: 6007 }] }`, or `{ err, logs }`).
 *
 * @example claimError({ InstructionError: [0, { Custom: 6007 }] }, programId).name // 'RootTooOldOrMissing'
 */
export function claimError(err: unknown, programId: PublicKey, logs?: readonly string[]): ClaimError {
  const parsed = programErrorFromTransactionError(logs === undefined ? err : { err, logs: [...logs] }, { programId });
  if (parsed !== null) return { name: parsed.name, message: parsed.message };
  return { name: 'TransactionError', message: `the transaction failed: ${JSON.stringify(err)}` };
}
