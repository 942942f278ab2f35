import { requireArgument } from './errors.js';

/** Hourly epochs unless configured otherwise. */
export const DEFAULT_EPOCH_SECONDS = 3600;

/** The most epochs {@link epochsBetween} lists: a longer gap means a bad input, not a backlog worth sealing at once. */
export const MAX_EPOCHS_BETWEEN = 1_000_000;

/** Checks that `lengthSeconds` is a positive safe integer (an epoch length) and returns it. */
export function requireEpochLength(lengthSeconds: number): number {
  return requireSeconds(lengthSeconds, 'epoch length', 1);
}

/** Checks that `value` is a non-negative safe integer (unix seconds) and returns it. `what` names it in the error. */
export function requireUnixSeconds(value: number, what: string): number {
  requireArgument(
    Number.isSafeInteger(value) && value >= 0,
    `${what} must be a non-negative safe integer (unix seconds), got ${String(value)}`,
  );
  return value;
}

/** The epoch holding `unixSeconds`: the start second of its epoch, `floor(unixSeconds / length) * length`. */
export function epochOf(unixSeconds: number, lengthSeconds: number = DEFAULT_EPOCH_SECONDS): number {
  requireEpochLength(lengthSeconds);
  requireUnixSeconds(unixSeconds, 'unixSeconds');
  // `%` is exact on safe integers; dividing and flooring can round up near large multiples.
  return unixSeconds - (unixSeconds % lengthSeconds);
}

/** True when `value` is a valid epoch id: a non-negative safe integer aligned to `lengthSeconds` (a bad length throws). */
export function isEpochStart(value: number, lengthSeconds: number = DEFAULT_EPOCH_SECONDS): boolean {
  requireEpochLength(lengthSeconds);
  return Number.isSafeInteger(value) && value >= 0 && value % lengthSeconds === 0;
}

/** Checks that `epoch` is an epoch id aligned to `lengthSeconds` and returns it; an unaligned id is an error. */
export function requireEpoch(epoch: number, lengthSeconds: number = DEFAULT_EPOCH_SECONDS): number {
  requireEpochLength(lengthSeconds);
  requireUnixSeconds(epoch, 'epoch');
  requireArgument(
    epoch % lengthSeconds === 0,
    `epoch ${epoch} is not the start of a ${lengthSeconds} s epoch (it lies in ${epoch - (epoch % lengthSeconds)})`,
  );
  return epoch;
}

/** The first second after `epoch` (exclusive end), which is also the id of the next epoch. */
export function epochEnd(epoch: number, lengthSeconds: number = DEFAULT_EPOCH_SECONDS): number {
  requireEpoch(epoch, lengthSeconds);
  const end = epoch + lengthSeconds;
  requireArgument(Number.isSafeInteger(end), `end of epoch ${epoch} is beyond the safe integer range`);
  return end;
}

/**
 * The epochs from `fromEpoch` (inclusive) to `toEpochExclusive`, oldest first, so missed epochs seal in order.
 * Equal bounds give an empty list; reversed bounds or more than {@link MAX_EPOCHS_BETWEEN} epochs are errors.
 */
export function epochsBetween(
  fromEpoch: number,
  toEpochExclusive: number,
  lengthSeconds: number = DEFAULT_EPOCH_SECONDS,
): number[] {
  requireEpoch(fromEpoch, lengthSeconds);
  requireEpoch(toEpochExclusive, lengthSeconds);
  requireArgument(
    fromEpoch <= toEpochExclusive,
    `epochsBetween: fromEpoch ${fromEpoch} is after toEpochExclusive ${toEpochExclusive}`,
  );
  const count = (toEpochExclusive - fromEpoch) / lengthSeconds;
  requireArgument(
    count <= MAX_EPOCHS_BETWEEN,
    `epochsBetween: ${count} epochs from ${fromEpoch} to ${toEpochExclusive} exceed the limit of ${MAX_EPOCHS_BETWEEN}`,
  );
  return Array.from({ length: count }, (_, i) => fromEpoch + i * lengthSeconds);
}

/** How far one collector has flushed, and when it was last heard from. Times are unix seconds. */
export interface CollectorWatermark {
  readonly collectorId: string;
  /** Every event before this second has been flushed to storage. */
  readonly flushedThrough: number;
  readonly lastHeartbeat: number;
  /** Shut down cleanly with its spool flushed: it holds nothing back and is never dead. */
  readonly stopped?: boolean;
}

/** Input of {@link sealReadiness}. Times and durations are whole seconds. */
export interface SealReadinessInput {
  readonly epoch: number;
  /** Defaults to {@link DEFAULT_EPOCH_SECONDS}. */
  readonly lengthSeconds?: number;
  /** Extra wait after the epoch ends, for late events in flight. */
  readonly graceSeconds: number;
  /** A collector silent for longer than this is dead: ignored for the decision, but reported. */
  readonly deadAfterSeconds: number;
  readonly now: number;
  readonly watermarks: readonly CollectorWatermark[];
}

/** Whether an epoch may seal; `waitingFor` (live collectors behind) and `dead` are sorted ids. */
export interface SealReadiness {
  readonly ready: boolean;
  readonly reason: string;
  readonly waitingFor: string[];
  readonly dead: string[];
}

/**
 * Whether `epoch` may seal: `now >= epochEnd + grace` and every live collector has flushed through
 * `epochEnd + grace`. A stopped collector (clean shutdown, spool flushed) holds nothing back. A collector whose
 * `lastHeartbeat < now - deadAfterSeconds` is dead and ignored while another is live; when every collector that is
 * not stopped is dead, the epoch is NOT ready: sealing is irreversible, and the dead ones may hold unflushed events
 * (a total outage must not seal incomplete epochs). With no collector at all, time alone decides.
 */
export function sealReadiness(input: SealReadinessInput): SealReadiness {
  const { epoch, graceSeconds, deadAfterSeconds, now, watermarks } = input;
  const sealAt =
    epochEnd(epoch, input.lengthSeconds ?? DEFAULT_EPOCH_SECONDS) + requireSeconds(graceSeconds, 'graceSeconds', 0);
  requireArgument(Number.isSafeInteger(sealAt), `epoch ${epoch} plus grace is beyond the safe integer range`);
  requireSeconds(deadAfterSeconds, 'deadAfterSeconds', 1);
  requireUnixSeconds(now, 'now');
  requireArgument(Array.isArray(watermarks), 'watermarks must be an array');

  const seen = new Set<string>();
  const waitingFor: string[] = [];
  const dead: string[] = [];
  for (const w of watermarks) {
    const id: unknown = w?.collectorId;
    requireArgument(typeof id === 'string' && id !== '', 'every watermark needs a non-empty collectorId');
    requireArgument(!seen.has(id), `duplicate watermark for collector ${id}`);
    seen.add(id);
    requireUnixSeconds(w.flushedThrough, `flushedThrough of collector ${id}`);
    requireUnixSeconds(w.lastHeartbeat, `lastHeartbeat of collector ${id}`);
    if (w.stopped) continue;
    if (w.lastHeartbeat < now - deadAfterSeconds) dead.push(id);
    else if (w.flushedThrough < sealAt) waitingFor.push(id);
  }
  // The default sort compares UTF-16 code units, like `<`.
  waitingFor.sort();
  dead.sort();

  const live = watermarks.filter((w) => !w.stopped).length - dead.length;
  const outage = live === 0 && dead.length > 0;
  const ready = now >= sealAt && !outage && waitingFor.length === 0;
  let reason = `epoch ${epoch} is ready to seal`;
  if (now < sealAt) {
    const behind = waitingFor.length > 0 ? `; collectors behind: ${waitingFor.join(',')}` : '';
    reason = `epoch ${epoch} waits until ${sealAt} (end + ${graceSeconds} s grace), now ${now}${behind}`;
  } else if (outage) reason = `epoch ${epoch} has no live collector`;
  else if (waitingFor.length > 0)
    reason = `epoch ${epoch} waits for collectors ${waitingFor.join(',')} to flush through ${sealAt}`;
  if (dead.length > 0) reason += ` (ignoring dead collectors ${dead.join(',')})`;
  return { ready, reason, waitingFor, dead };
}

function requireSeconds(value: number, what: string, min: 0 | 1): number {
  requireArgument(
    Number.isSafeInteger(value) && value >= min,
    `${what} must be a ${min === 0 ? 'non-negative' : 'positive'} safe integer number of seconds, got ${String(value)}`,
  );
  return value;
}
