// One historical participation row of a backfill file, validated.
import { epochEnd, isEpochStart } from '@attention-oracle/core';
import { describe, hasValue, idField, integerField, RecordProblem } from './record-fields-internal.js';

/** Counter fields of a backfill record, in the order rows store them. All optional (absent is 0). */
export const BACKFILL_COUNTERS = [
  'messages',
  'active_minutes',
  'subs',
  'resubs',
  'gifted_subs',
  'bits',
  'raid_viewers',
] as const;

/** Every field a backfill record may have. `user_id` or `login_hash` names the viewer, exactly one of them. */
export const BACKFILL_FIELDS = ['epoch', 'channel_id', 'user_id', 'login_hash', ...BACKFILL_COUNTERS] as const;

/** A validated backfill row. */
export interface BackfillRow {
  readonly epoch: number;
  readonly channelId: string;
  /** The decimal user id, or `legacy:<login hash hex>`. */
  readonly viewer: string;
  /** Lowercase hex login hash for legacy viewers, else null. */
  readonly loginHash: string | null;
  /** In {@link BACKFILL_COUNTERS} order. */
  readonly counters: readonly number[];
}

const INT4_MAX = 2_147_483_647;
const LOGIN_HASH = /^[0-9a-fA-F]{64}$/;

/**
 * Validates one record (a CSV line by header, or a JSONL object): an epoch aligned to `epochSeconds` that has ended
 * by `nowMs`, a channel id, exactly one of user_id and login_hash (64 hex digits), counters that fit the table
 * (active minutes at most what the epoch has, up to 60). Throws a RecordProblem saying what is wrong.
 */
export function backfillRow(record: Record<string, unknown>, epochSeconds: number, nowMs: number): BackfillRow {
  const epoch = integerField(record, 'epoch', Number.MAX_SAFE_INTEGER);
  if (!isEpochStart(epoch, epochSeconds)) {
    throw new RecordProblem(`epoch ${epoch} is not the start of a ${epochSeconds} s epoch`);
  }
  if (epochEnd(epoch, epochSeconds) * 1000 > nowMs) {
    throw new RecordProblem(`epoch ${epoch} has not ended yet: backfill imports only past epochs`);
  }
  const channelId = idField(record, 'channel_id');
  const byUser = hasValue(record, 'user_id');
  if (byUser === hasValue(record, 'login_hash')) {
    throw new RecordProblem('give exactly one of user_id and login_hash');
  }
  let viewer: string;
  let loginHash: string | null = null;
  if (byUser) viewer = idField(record, 'user_id');
  else {
    const hash = record.login_hash;
    if (typeof hash !== 'string' || !LOGIN_HASH.test(hash)) {
      throw new RecordProblem(`login_hash must be 64 hex digits, got ${describe(hash)}`);
    }
    loginHash = hash.toLowerCase();
    viewer = `legacy:${loginHash}`;
  }
  const maxMinutes = Math.min(60, Math.ceil(epochSeconds / 60));
  const counters = BACKFILL_COUNTERS.map((name) =>
    record[name] === undefined ? 0 : integerField(record, name, name === 'active_minutes' ? maxMinutes : INT4_MAX),
  );
  return { epoch, channelId, viewer, loginHash, counters };
}
