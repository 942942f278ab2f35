// Demo mode makes a recorded file look live: times shifted so the first line is now (spacing kept, scaled by a speed
// factor), and every message given a fresh id, consistently, so shared-chat copies and deletions still line up.
import { randomUUID } from 'node:crypto';
import type { IrcMessage } from './irc.js';

/** Maps the file's times to wall-clock times for one pass over the file. */
export class DemoClock {
  readonly #speed: number;
  #origin: { fileAt: number; wallAt: number } | null = null;

  constructor(speed: number) {
    this.#speed = speed;
  }

  /** The wall-clock time a line recorded at `fileAt` plays at; the first line of a pass plays at `now`. */
  due(fileAt: number, now: number): number {
    this.#origin ??= { fileAt, wallAt: now };
    return this.#origin.wallAt + (fileAt - this.#origin.fileAt) / this.#speed;
  }
}

/** Fresh ids for the ids of one pass, remembered (boundedly) so later references get the same replacement. */
export class FreshIds {
  readonly #ids = new Map<string, string>();
  readonly #capacity: number;

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  /** The fresh id standing for `original`. */
  for(original: string): string {
    const known = this.#ids.get(original);
    if (known !== undefined) return known;
    const fresh = randomUUID();
    this.#ids.set(original, fresh);
    if (this.#ids.size > this.#capacity) {
      const oldest = this.#ids.keys().next();
      if (!oldest.done) this.#ids.delete(oldest.value);
    }
    return fresh;
  }
}

const ID_TAGS = ['id', 'source-id', 'target-msg-id'] as const;

/** Rewrites `message` in place to play at `sentAt` (unix ms) under fresh ids. */
export function restamp(message: IrcMessage, sentAt: number, ids: FreshIds): void {
  message.tags['tmi-sent-ts'] = String(Math.round(sentAt));
  for (const tag of ID_TAGS) {
    const original = message.tags[tag];
    if (original !== undefined && original !== '') message.tags[tag] = ids.for(original.toLowerCase());
  }
}
