// The SlotHashes sysvar as the runtime keeps it: the hashes of the most recent 512 slots, newest first. The address
// lookup table program checks a new table's `recent_slot` against it, so the ledger refreshes it as slots pass.
import type { RawSvm } from './raw-svm.js';

/**
 * Entries the sysvar holds (Solana's MAX_ENTRIES).
 *
 * @example const oldestUsable = slot - SLOT_HASHES_ENTRIES + 1;
 */
export const SLOT_HASHES_ENTRIES = 512;

/**
 * Keeps litesvm's SlotHashes sysvar at the latest 512 slots (the current one included) and their blockhashes.
 *
 * @example
 * const slotHashes = new SlotHashesSysvar(raw, (slot) => clock.blockhashAt(slot));
 * clock.onSlot((slot) => slotHashes.update(slot));
 */
export class SlotHashesSysvar {
  #entries: { slot: bigint; hash: string }[] = [];

  constructor(
    private readonly raw: RawSvm,
    private readonly blockhashAt: (slot: number) => string,
  ) {}

  /** Brings the sysvar up to `slot`; slots already listed are not hashed again. */
  update(slot: number): void {
    const newest = this.#entries[0] ? Number(this.#entries[0].slot) : -1;
    if (slot === newest) return;
    const from = Math.max(0, slot - SLOT_HASHES_ENTRIES + 1, slot < newest ? 0 : newest + 1);
    const fresh: { slot: bigint; hash: string }[] = [];
    for (let s = slot; s >= from; s--) fresh.push({ slot: BigInt(s), hash: this.blockhashAt(s) });
    const kept = slot < newest ? [] : this.#entries;
    this.#entries = [...fresh, ...kept].slice(0, SLOT_HASHES_ENTRIES);
    this.raw.setSlotHashes(this.#entries);
  }
}
