// The state normalization needs beyond one line: exclusions, recently delivered ids, recent mystery gifts, room ids.
import type { NormalizeStats } from './normalize-result.js';
import { RecentIds } from './recent-ids.js';

/** What `normalize` consults besides the line itself. */
export interface NormalizeContext {
  /** True for known bots and opted-out viewers, by numeric user id: their lines are dropped here, early. */
  isExcluded(userId: string): boolean;
  /** Ids already delivered; a repeat is skipped as a duplicate. Without it, nothing is deduplicated. */
  seen?: RecentIds;
  /** `<channelId>:<gift id>` of recent submysterygift notices, to recognize their follow-up subgift notices. */
  mysteryGifts?: RecentIds;
  /** The room id of a channel login, for lines that arrive with an empty `room-id` (learned from ROOMSTATE). */
  roomIdOf?(channelLogin: string): string | undefined;
  /** Counters to update with every result. */
  stats?: NormalizeStats;
}

/** Options for {@link createNormalizeContext}. */
export interface NormalizeContextOptions {
  isExcluded?: (userId: string) => boolean;
  /** How many recent event ids to remember for deduplication (default 20,000). */
  dedupeWindow?: number;
  /** How many recent mystery gifts to remember (default 2,000). */
  giftWindow?: number;
  roomIdOf?: (channelLogin: string) => string | undefined;
  stats?: NormalizeStats;
}

/** A context with bounded dedupe and mystery-gift memories; nobody is excluded unless `isExcluded` says so. */
export function createNormalizeContext(options: NormalizeContextOptions = {}): NormalizeContext {
  const context: NormalizeContext = {
    isExcluded: options.isExcluded ?? (() => false),
    seen: new RecentIds(options.dedupeWindow ?? 20_000),
    mysteryGifts: new RecentIds(options.giftWindow ?? 2_000),
  };
  if (options.roomIdOf) context.roomIdOf = options.roomIdOf;
  if (options.stats) context.stats = options.stats;
  return context;
}
