// The in-memory index of landed transactions: by signature (statuses, duplicate checks) and by account (newest-first
// signature lists). Full records stay in the journal and are read back by location, so memory per transaction stays
// at one small entry plus one number per account it touched.
import type { JournalLocation } from './journal.js';
import type { TransactionErrorJson } from './tx-error.js';

/** What the index keeps per landed transaction. */
export interface HistoryEntry {
  signature: string;
  slot: number;
  timeMs: number;
  err: TransactionErrorJson | null;
  at: JournalLocation;
}

/** Options of getSignaturesForAddress. */
export interface SignatureQuery {
  limit?: number;
  before?: string;
  until?: string;
}

/** Landed transactions, in the order they landed. */
export class TxHistory {
  readonly #entries: HistoryEntry[] = [];
  readonly #bySignature = new Map<string, number>();
  readonly #byAddress = new Map<string, number[]>();

  /** How many transactions landed. */
  get size(): number {
    return this.#entries.length;
  }

  /** Records a landed transaction touching `keys`. */
  add(entry: HistoryEntry, keys: readonly string[]): void {
    const index = this.#entries.push(entry) - 1;
    this.#bySignature.set(entry.signature, index);
    for (const key of new Set(keys)) {
      const list = this.#byAddress.get(key);
      if (list) list.push(index);
      else this.#byAddress.set(key, [index]);
    }
  }

  /** The entry of a landed transaction. */
  get(signature: string): HistoryEntry | undefined {
    const index = this.#bySignature.get(signature);
    return index === undefined ? undefined : this.#entries[index];
  }

  /** Transactions touching `address`, newest first, after `before` and down to (excluding) `until`. */
  forAddress(address: string, query: SignatureQuery = {}): HistoryEntry[] {
    const list = this.#byAddress.get(address) ?? [];
    const limit = query.limit ?? 1000;
    let position = list.length - 1;
    if (query.before !== undefined) {
      const beforeIndex = this.#bySignature.get(query.before);
      if (beforeIndex === undefined) return [];
      while (position >= 0 && (list[position] as number) >= beforeIndex) position--;
    }
    const untilIndex = query.until === undefined ? -1 : (this.#bySignature.get(query.until) ?? -1);
    const result: HistoryEntry[] = [];
    for (; position >= 0 && result.length < limit; position--) {
      const index = list[position] as number;
      if (index <= untilIndex) break;
      result.push(this.#entries[index] as HistoryEntry);
    }
    return result;
  }
}
