// A bounded "seen recently" set: enough memory to cover a RECONNECT overlap or a burst of shared-chat mirrors, never
// more, however long the collector runs.
import { InvalidArgumentError } from '@attention-oracle/core';

/** A set of the most recent `capacity` keys; adding past capacity forgets the oldest. */
export class RecentIds {
  readonly #keys = new Set<string>();
  /**
   * The remembered keys in insertion order, as a ring once full: `#order[#oldest]` is the next to forget. Evicting
   * through the Set's own iterator (`values().next()`) costs a scan over every tombstone that earlier deletes left
   * at the front of its table, which made each add O(capacity) in steady state; the ring makes it O(1).
   */
  readonly #order: string[] = [];
  #oldest = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new InvalidArgumentError(`capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Records `key`; returns false when it was already present (a duplicate). */
  add(key: string): boolean {
    const keys = this.#keys;
    // One hash lookup instead of has() then add(): the size only grows when the key is new.
    const before = keys.size;
    keys.add(key);
    if (keys.size === before) return false;
    if (this.#order.length < this.#capacity) {
      // Grown on demand rather than preallocated, so a generous capacity costs nothing until it is used.
      this.#order.push(key);
      return true;
    }
    keys.delete(this.#order[this.#oldest] as string);
    this.#order[this.#oldest] = key;
    this.#oldest = this.#oldest + 1 === this.#capacity ? 0 : this.#oldest + 1;
    return true;
  }

  /** True when `key` was added recently. */
  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.#keys.size;
  }
}
