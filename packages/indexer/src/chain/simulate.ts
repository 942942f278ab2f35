// simulateTransaction: litesvm runs the transaction without committing; the result carries what Solana's RPC returns
// (err, logs, units, return data, inner instructions) and the post-state of accounts the caller asked for.
import { FailedTransactionMetadata } from 'litesvm';
import { type AccountView, readAccount } from './account-state.js';
import { decodeAddress, encodeAddress } from './base58.js';
import { innerInstructionsJson, returnDataJson } from './execute.js';
import type { InnerInstructionsJson, TransactionRecord } from './ledger-record.js';
import { type RawSvm, simulateRaw } from './raw-svm.js';
import { type TransactionErrorJson, transactionErrorJson } from './tx-error.js';
import type { WireTransaction } from './wire-transaction.js';

/** What a simulation reports. */
export interface Simulation {
  err: TransactionErrorJson | null;
  logs: string[];
  unitsConsumed: number;
  returnData: TransactionRecord['returnData'];
  innerInstructions: InnerInstructionsJson[];
  /** Post-simulation state of the requested addresses (null: no such account). */
  accounts: (AccountView | null)[] | undefined;
}

/** Simulates `tx`; `addresses` are the accounts whose post-state the caller wants. */
export function simulate(raw: RawSvm, tx: WireTransaction, sigVerify: boolean, addresses?: string[]): Simulation {
  const result = simulateRaw(raw, tx.bytes, tx.version, sigVerify);
  const failed = result instanceof FailedTransactionMetadata;
  const meta = result.meta();
  let accounts: Simulation['accounts'];
  if (addresses) {
    const post = new Map<string, AccountView | null>();
    if (!failed) {
      for (const entry of result.postAccounts()) {
        const account = entry.account();
        post.set(
          encodeAddress(entry.address),
          account.lamports() === 0n
            ? null
            : {
                lamports: account.lamports(),
                owner: encodeAddress(account.owner()),
                executable: account.executable(),
                data: account.data(),
              },
        );
      }
    }
    accounts = addresses.map((address) => {
      if (post.has(address)) return post.get(address) ?? null;
      const bytes = decodeAddress(address);
      return bytes ? readAccount(raw, bytes) : null;
    });
  }
  return {
    err: failed ? transactionErrorJson(result) : null,
    logs: meta.logs(),
    unitsConsumed: Number(meta.computeUnitsConsumed()),
    returnData: returnDataJson(meta),
    innerInstructions: innerInstructionsJson(meta),
    accounts,
  };
}
