// The read side of the local ledger: slots, blockhashes, accounts and the landed-transaction history. Reads need no
// journaling; LocalLedger adds the writes on top.
import type { LiteSVM } from 'litesvm';
import { type AccountView, readAccount } from './account-state.js';
import { decodeAddress } from './base58.js';
import type { Faucet } from './faucet.js';
import type { LedgerWriter, StoredTransaction } from './ledger-writer.js';
import { type RawSvm, rawSvm } from './raw-svm.js';
import type { BlockhashInfo, SlotClock } from './slot-clock.js';
import type { HistoryEntry, SignatureQuery } from './tx-history.js';

/** Reads of a local ledger. */
export class LedgerView {
  protected readonly raw: RawSvm;

  constructor(
    /** The litesvm instance, for in-process reads; change state through the ledger so it is journaled. */
    readonly svm: LiteSVM,
    readonly clock: SlotClock,
    protected readonly writer: LedgerWriter,
    protected readonly faucet: Faucet,
  ) {
    this.raw = rawSvm(svm);
  }

  /** The current slot (= block height). */
  get slot(): number {
    return this.clock.slot;
  }

  /** How many transactions have landed. */
  get transactionCount(): number {
    return this.writer.history.size;
  }

  /** The faucet's address (it pays airdrops and their fees). */
  get faucetAddress(): string {
    return this.faucet.address;
  }

  /** The latest blockhash and its last valid block height. */
  latestBlockhash(): BlockhashInfo {
    return this.clock.latest();
  }

  /** The account at `address`, or null when there is none. */
  getAccount(address: string): AccountView | null {
    const bytes = decodeAddress(address);
    return bytes ? readAccount(this.raw, bytes) : null;
  }

  /** The landed transaction with `signature`. */
  getTransaction(signature: string): StoredTransaction | undefined {
    return this.writer.read(signature);
  }

  /** The status entry of a landed transaction. */
  signatureStatus(signature: string): HistoryEntry | undefined {
    return this.writer.history.get(signature);
  }

  /** Landed transactions touching `address`, newest first. */
  signaturesForAddress(address: string, query?: SignatureQuery): HistoryEntry[] {
    return this.writer.history.forAddress(address, query);
  }

  /** Whether a transaction using `blockhash` could still land. */
  isBlockhashValid(blockhash: string): boolean {
    return this.clock.isValid(blockhash);
  }

  /** Resolves once every change made so far is durable (responses wait for this: nothing is reported early). */
  durable(): Promise<void> {
    return this.writer.durable();
  }

  /** Calls `listener` for each landed transaction once it is durable; returns the unsubscribe function. */
  onLanded(listener: (entry: HistoryEntry) => void): () => void {
    return this.writer.onLanded(listener);
  }
}
