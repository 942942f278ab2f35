// Reservations go through the database lock in batches: the first request runs at once, and every request that
// arrives meanwhile joins the next transaction. One process then waits on the lock with one connection, not many.
import type { DatabaseHandle } from '@attention-oracle/db';
import { type ReserveOutcome, type ReserveRequest, reserveClaims } from './reserve.js';
import type { DirectCaps } from './types.js';

/** Batches reservations of one settlement. */
export interface ReservationQueue {
  /** Reserves a claim for the request (alone or with others that arrived meanwhile). */
  reserve(request: ReserveRequest): Promise<ReserveOutcome>;
}

interface Waiting {
  request: ReserveRequest;
  resolve(outcome: ReserveOutcome): void;
  reject(error: unknown): void;
}

/**
 * A reservation queue over `db` with `caps`; at most `maxBatch` requests per transaction (default 256).
 *
 * @example
 * const reservations = createReservationQueue(db, caps);
 * const outcome = await reservations.reserve({ wallet, requestedBy: null });
 */
export function createReservationQueue(
  db: DatabaseHandle,
  caps: DirectCaps,
  options: { maxBatch?: number } = {},
): ReservationQueue {
  const maxBatch = options.maxBatch ?? 256;
  const waiting: Waiting[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, maxBatch);
        try {
          const outcomes = await reserveClaims(
            db,
            batch.map((w) => w.request),
            caps,
          );
          batch.forEach((w, i) => {
            w.resolve(outcomes[i] as ReserveOutcome);
          });
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    reserve(request) {
      return new Promise<ReserveOutcome>((resolve, reject) => {
        waiting.push({ request, resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}
