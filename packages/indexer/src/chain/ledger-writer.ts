// The ledger's persistence: appends records to the journal in execution order, indexes landed transactions, tells
// listeners about a transaction only once it is durable, and takes snapshots only of durable state.
import type { LiteSVM } from 'litesvm';
import type { Journal } from './journal.js';
import {
  type AccountWrite,
  decodeRecord,
  encodeRecord,
  type LedgerRecord,
  type TransactionRecord,
} from './ledger-record.js';
import type { SnapshotStore } from './snapshot-store.js';
import type { HistoryEntry, TxHistory } from './tx-history.js';

/** When the writer snapshots. */
export interface SnapshotPolicy {
  everyRecords: number;
  everyMs: number;
  warn: (message: string) => void;
}

/** A landed transaction read back from the journal. */
export interface StoredTransaction {
  entry: HistoryEntry;
  record: LedgerRecord & { transaction: TransactionRecord };
}

/** Journal, index and snapshots of one ledger. */
export class LedgerWriter {
  readonly #landedListeners = new Set<(entry: HistoryEntry) => void>();
  readonly #timer: NodeJS.Timeout;
  #sinceSnapshot = 0;
  #snapshotting = false;
  #failed: Error | undefined;
  #closed = false;

  constructor(
    private readonly svm: LiteSVM,
    readonly history: TxHistory,
    private readonly journal: Journal,
    private readonly snapshots: SnapshotStore,
    private seq: number,
    private readonly slot: () => number,
    private readonly policy: SnapshotPolicy,
  ) {
    this.#timer = setInterval(() => {
      if (this.#sinceSnapshot > 0) void this.#snapshotWhenDurable();
    }, policy.everyMs);
    this.#timer.unref();
  }

  /** Sequence number of the last record. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Set once a journal write failed; the ledger must then refuse changes. */
  get failure(): Error | undefined {
    return this.#failed;
  }

  /** Records a change already applied to the state (a landed transaction when `transaction` is given). */
  append(writes: AccountWrite[], transaction?: TransactionRecord, note?: string): void {
    const record: LedgerRecord = {
      seq: this.seq + 1,
      slot: this.slot(),
      timeMs: Date.now(),
      writes,
      transaction,
      note,
    };
    let at: ReturnType<Journal['append']>;
    try {
      at = this.journal.append(encodeRecord(record));
    } catch (error) {
      // The state now holds a change the journal does not: refuse everything; a restart recovers the journaled state.
      this.#failed = error as Error;
      throw error;
    }
    this.seq = record.seq;
    this.#sinceSnapshot++;
    if (transaction) {
      const { signature, err } = transaction;
      const entry: HistoryEntry = { signature, slot: record.slot, timeMs: record.timeMs, err, at };
      this.history.add(entry, transaction.keys);
      this.journal.durable().then(
        () => {
          for (const listener of this.#landedListeners) listener(entry);
        },
        () => {},
      );
    }
    if (this.#sinceSnapshot >= this.policy.everyRecords) void this.#snapshotWhenDurable();
  }

  /** The landed transaction with `signature`, read back from the journal. */
  read(signature: string): StoredTransaction | undefined {
    const entry = this.history.get(signature);
    if (!entry) return undefined;
    return { entry, record: decodeRecord(this.journal.read(entry.at)) as StoredTransaction['record'] };
  }

  /** Resolves once every record appended so far is durable. */
  durable(): Promise<void> {
    return this.#failed ? Promise.reject(this.#failed) : this.journal.durable();
  }

  /** Calls `listener` for each landed transaction once it is durable; returns the unsubscribe function. */
  onLanded(listener: (entry: HistoryEntry) => void): () => void {
    this.#landedListeners.add(listener);
    return () => this.#landedListeners.delete(listener);
  }

  /** Waits for the journal, snapshots what changed since the last snapshot and closes the journal. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#closed = true;
    try {
      while (this.journal.pending) await this.journal.durable();
      if (this.#sinceSnapshot > 0 && !this.#failed) this.#save();
    } finally {
      this.journal.close();
    }
  }

  async #snapshotWhenDurable(): Promise<void> {
    if (this.#snapshotting) return;
    this.#snapshotting = true;
    try {
      // Only durable records may be in a snapshot: wait until the journal caught up, then save synchronously, so no
      // execution can slip in between the check and the save.
      while (this.journal.pending) await this.journal.durable();
      if (this.#sinceSnapshot > 0 && !this.#closed) this.#save();
    } catch (error) {
      this.policy.warn(`snapshot failed: ${(error as Error).message}`);
    } finally {
      this.#snapshotting = false;
    }
  }

  #save(): void {
    this.snapshots.save(this.svm, { seq: this.seq, slot: this.slot(), timeMs: Date.now() });
    this.#sinceSnapshot = 0;
  }
}
