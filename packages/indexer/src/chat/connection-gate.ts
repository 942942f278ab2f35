// Twitch limits how fast one client may open connections: every new connection of a source (first connect, a
// reconnect, a make-before-break replacement) passes this gate, which spaces them by a fixed interval.
import { sleep } from './sleep-internal.js';

/** Hands out connection slots at most one per `intervalMs`, in request order. */
export class ConnectionGate {
  readonly #intervalMs: number;
  #nextAt = 0;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Waits for the next slot; resolves false if `signal` aborted first (the slot is then wasted, never reused). */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    const now = Date.now();
    const at = Math.max(now, this.#nextAt);
    this.#nextAt = at + this.#intervalMs;
    if (at === now) return !signal?.aborted;
    return sleep(at - now, signal);
  }
}
