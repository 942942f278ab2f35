/**
 * Refusal to change a sealed epoch: its participation, allocations and counts are final. Callers that route late
 * data (the flusher, imports) match on this class rather than on the message.
 */
export class SealedEpochError extends Error {
  override readonly name = 'SealedEpochError';
  constructor(
    readonly epoch: number,
    action: string,
  ) {
    super(`epoch ${epoch} is sealed: cannot ${action}`);
  }
}
