// What normalizing one IRC line can produce, and the counters kept over many lines.
import type { ChatEvent } from './event.js';

/** Every reason a line produces no event. A closed set: stats and logs switch on it. */
export const SKIP_REASONS = [
  /** A command that never carries participation (PING, JOIN, ROOMSTATE, numerics, ...). */
  'ignored-command',
  /** A USERNOTICE msg-id that is not counted, or a CLEARCHAT of the whole room. */
  'ignored-notice',
  /** A counted command with a missing or invalid tag, login, user id, channel or id. */
  'malformed',
  /** The actor is a known bot or opted out. */
  'excluded-user',
  /** A subgift notice that belongs to a submysterygift already counted with its full gift count. */
  'gift-follow-up',
  /** An event id delivered recently (the overlap of two connections during a reconnect). */
  'duplicate',
  /** Another room's copy of a shared-chat message already delivered for its source room. */
  'mirror-duplicate',
] as const;

/** Why a line was skipped. */
export type SkipReason = (typeof SKIP_REASONS)[number];

/** The outcome of normalizing one line: an event, or why there is none (`detail` says what was wrong). */
export type NormalizeResult = { event: ChatEvent } | { skip: SkipReason; detail?: string };

/** A zeroed counter per skip reason. */
export function emptySkipCounts(): Record<SkipReason, number> {
  return Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
}

/** Counts of normalized events and of skips per reason. */
export class NormalizeStats {
  events = 0;
  readonly skips: Record<SkipReason, number> = emptySkipCounts();

  /** Counts one result. */
  record(result: NormalizeResult): void {
    if ('event' in result) this.events++;
    else this.skips[result.skip]++;
  }
}
