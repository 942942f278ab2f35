// The seal's input hash: keccak256 over a canonical byte encoding of everything that decided its allocations.
import { createBulkKeccak, type EpochParticipationRow, fromHex } from '@attention-oracle/core';

/** What an epoch's input hash covers (see {@link sealInputHash} for the byte layout). */
export interface SealHashInput {
  readonly epoch: number;
  readonly lengthSeconds: number;
  /** Chat events of the epoch at sealing (0 for imported epochs). */
  readonly eventCount: number;
  readonly policyId: string;
  /** Lowercase hex keccak256 of the policy's canonical resolved parameters, from core. */
  readonly paramsHash: string;
  /** Enabled channel ids (decimal), ascending. */
  readonly enabledChannels: readonly string[];
  /** Viewer keys excluded as suppressed, and as bots, that matched the rows; each ascending by bytes. */
  readonly suppressed: readonly string[];
  readonly bots: readonly string[];
  /** Participation rows fed to the policy, before exclusions, by (epoch, channel id, viewer bytes). */
  readonly rows: readonly EpochParticipationRow[];
}

const MAGIC = 'attention-oracle/seal-input/v1';
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * keccak256 of the canonical encoding, v1. All integers little-endian; `str` is a u32 byte length then UTF-8; lists
 * are a u32 count then their items, in the order {@link SealHashInput} states (which the encoder checks):
 *
 *   "attention-oracle/seal-input/v1" | u64 epoch | u64 lengthSeconds | u64 eventCount | str policyId
 *   | 32 bytes paramsHash | list of u64 channel id | list of str suppressed | list of str bot
 *   | list of rows: u64 epoch, u64 channel id, str viewer, u32 activeMinutes, messages, subs, resubs, giftedSubs,
 *     bits, raidViewers
 *
 * Participation is what the policy reads, and it is kept forever while raw events are deleted after retention, so
 * anyone can recompute the hash of any sealed epoch from the database (or an export of its rows).
 */
export async function sealInputHash(input: SealHashInput): Promise<Uint8Array> {
  const { rows } = input;
  let size = utf8(MAGIC) + 24 + 4 + utf8(input.policyId) + 32 + 4 + input.enabledChannels.length * 8 + 12;
  for (const key of [...input.suppressed, ...input.bots]) size += 4 + utf8(key);
  for (const row of rows) size += 8 + 8 + 4 + utf8(row.viewer) + 28;

  const out = Buffer.allocUnsafe(size);
  let at = out.write(MAGIC, 0, 'utf8');
  const u32 = (n: number) => {
    at = out.writeUInt32LE(n, at);
  };
  const u64 = (n: number | bigint) => {
    at = out.writeBigUInt64LE(BigInt(n), at);
  };
  const str = (s: string) => {
    u32(utf8(s));
    at += out.write(s, at, 'utf8');
  };
  u64(input.epoch);
  u64(input.lengthSeconds);
  u64(input.eventCount);
  str(input.policyId);
  at += Buffer.from(fromHex(input.paramsHash, 32)).copy(out, at);
  u32(input.enabledChannels.length);
  for (const id of ascending(input.enabledChannels.map(BigInt), 'enabled channels')) u64(id);
  for (const [what, keys] of [
    ['suppressed viewers', input.suppressed],
    ['bot viewers', input.bots],
  ] as const) {
    u32(keys.length);
    for (const key of ascending(keys, what)) str(key);
  }
  u32(rows.length);
  let previous: { row: EpochParticipationRow; channel: bigint } | undefined;
  for (const row of rows) {
    const channel = BigInt(row.channel);
    if (previous !== undefined && !rowAfter(row, channel, previous.row, previous.channel)) {
      throw new Error(`seal input rows out of order at epoch ${row.epoch}, channel ${row.channel}, ${row.viewer}`);
    }
    previous = { row, channel };
    u64(row.epoch);
    u64(channel);
    str(row.viewer);
    for (const n of [row.activeMinutes, row.messages, row.subs, row.resubs, row.giftedSubs, row.bits, row.raidViewers])
      u32(n);
  }
  if (at !== size) throw new Error(`seal input encoding wrote ${at} bytes, expected ${size}`);
  return (await createBulkKeccak()).hash(out);
}

// Viewer keys are ASCII (decimal ids, legacy:<hex>), where UTF-16 order and UTF-8 byte order agree.
function rowAfter(row: EpochParticipationRow, channel: bigint, previous: EpochParticipationRow, before: bigint) {
  if (row.epoch !== previous.epoch) return row.epoch > previous.epoch;
  if (channel !== before) return channel > before;
  return row.viewer > previous.viewer;
}

function ascending<T extends string | bigint>(items: readonly T[], what: string): readonly T[] {
  for (let i = 1; i < items.length; i++) {
    if (!((items[i - 1] as T) < (items[i] as T))) throw new Error(`seal input ${what} are not strictly ascending`);
  }
  return items;
}
