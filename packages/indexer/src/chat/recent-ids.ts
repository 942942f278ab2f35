// A bounded "seen recently" set: enough memory to cover a RECONNECT overlap or a burst of shared-chat mirrors, never
// more, however long the collector runs.
import { InvalidArgumentError } from '@attention-oracle/core';

/** A set of the most recent `capacity` keys; adding past capacity forgets the oldest. */
export class RecentIds {
  readonly #keys = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new InvalidArgumentError(`capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Records `key`; returns false when it was already present (a duplicate). */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.#capacity) {
      // Sets iterate in insertion order: the first key is the oldest.
      const oldest = this.#keys.values().next();
      if (!oldest.done) this.#keys.delete(oldest.value);
    }
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
