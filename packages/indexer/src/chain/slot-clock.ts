// Slots and blockhashes. One slot per tick (400 ms by default, like mainnet); each slot's blockhash is
// sha256(chain seed || slot), so blockhashes need no storage and a restarted chain recognises the ones it handed out.
// As on Solana a blockhash is valid for 150 blocks; block height equals slot here (no slot is ever skipped).
import { createHash } from 'node:crypto';
import { encodeBase58 } from './base58.js';

/** Blocks a blockhash stays valid for after its own block. */
export const BLOCKHASH_VALIDITY = 150;

/** The latest blockhash and the last block height at which a transaction using it can land. */
export interface BlockhashInfo {
  blockhash: string;
  lastValidBlockHeight: number;
}

/** The chain's slot counter and blockhash window. */
export class SlotClock {
  #slot: number;
  #timer: NodeJS.Timeout | undefined;
  readonly #bySlot = new Map<number, string>();
  readonly #byHash = new Map<string, number>();
  readonly #listeners = new Set<(slot: number) => void>();

  constructor(
    private readonly seed: Uint8Array,
    startSlot: number,
  ) {
    this.#slot = startSlot;
    this.#fillWindow();
  }

  /** The current slot (= block height). */
  get slot(): number {
    return this.#slot;
  }

  /** The blockhash of `slot`. */
  blockhashAt(slot: number): string {
    const known = this.#bySlot.get(slot);
    if (known !== undefined) return known;
    const slotBytes = Buffer.alloc(8);
    slotBytes.writeBigUInt64LE(BigInt(slot));
    return encodeBase58(createHash('sha256').update(this.seed).update(slotBytes).digest());
  }

  /** The current slot's blockhash with its expiry. */
  latest(): BlockhashInfo {
    return { blockhash: this.blockhashAt(this.#slot), lastValidBlockHeight: this.#slot + BLOCKHASH_VALIDITY };
  }

  /** Whether a transaction using `blockhash` may still land. */
  isValid(blockhash: string): boolean {
    const slot = this.#byHash.get(blockhash);
    return slot !== undefined && this.#slot <= slot + BLOCKHASH_VALIDITY;
  }

  /** Moves `count` slots forward and tells the listeners. */
  advance(count = 1): void {
    if (count < 1) return;
    this.#slot += count;
    this.#fillWindow();
    for (const listener of this.#listeners) listener(this.#slot);
  }

  /** Calls `listener` with each new slot; returns the unsubscribe function. */
  onSlot(listener: (slot: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts ticking one slot every `slotMs`; the timer does not keep the process alive on its own. */
  start(slotMs: number): void {
    this.stop();
    this.#timer = setInterval(() => this.advance(), slotMs);
    this.#timer.unref();
  }

  /** Stops ticking. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #fillWindow(): void {
    const oldest = Math.max(0, this.#slot - BLOCKHASH_VALIDITY);
    for (const [slot, hash] of this.#bySlot) {
      if (slot >= oldest) break;
      this.#bySlot.delete(slot);
      this.#byHash.delete(hash);
    }
    for (let slot = oldest; slot <= this.#slot; slot++) {
      if (this.#bySlot.has(slot)) continue;
      const hash = this.blockhashAt(slot);
      this.#bySlot.set(slot, hash);
      this.#byHash.set(hash, slot);
    }
  }
}
