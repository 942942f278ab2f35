// Offsets (negative corrections, amounts an older system paid) withheld from new credit, oldest first.

/** A correction of kind 'offset' with something still to withhold. */
export interface OutstandingOffset {
  readonly id: number;
  /** What was left to withhold when it was read. */
  readonly initial: bigint;
  remaining: bigint;
}

/**
 * Withholds up to `gross` from `offsets` in order, lowering their `remaining`; returns what was withheld.
 *
 * @example withhold(10n, [{ id: 1, initial: 4n, remaining: 4n }]) // 4n, and the offset's remaining becomes 0n
 */
export function withhold(gross: bigint, offsets: readonly OutstandingOffset[]): bigint {
  let withheld = 0n;
  for (const offset of offsets) {
    if (withheld === gross) break;
    let take = gross - withheld;
    if (offset.remaining < take) take = offset.remaining; // bigints: no Math.min
    offset.remaining -= take;
    withheld += take;
  }
  return withheld;
}
