// Everything a seal feeds the policy and the input hash, read in canonical order with raw SQL (drizzle's row mapping
// costs seconds at a million rows).
import type { EpochParticipationRow } from '@attention-oracle/core';
import { pgArray, sql } from '@attention-oracle/db';
import type { Query } from './query-internal.js';

/** The inputs of one seal. Lists are sorted: numbers ascending, strings by UTF-8 bytes (collation "C"). */
export interface SealInputs {
  /** Enabled channels' ids, decimal. */
  readonly enabledChannels: string[];
  /** Participation of epochs fromEpoch..epoch in enabled channels, by (epoch, channel id, viewer). */
  readonly rows: EpochParticipationRow[];
  /** Viewer keys among `rows` on the suppression list (directly, or through a joined legacy identity). */
  readonly suppressed: string[];
  /** Viewer keys among `rows` on the bot list (likewise). */
  readonly bots: string[];
}

/**
 * Reads a seal's inputs. The caller holds the epoch's lock, so its participation cannot change; the channel list is
 * read once and passed to the later statements, so the rows always match the channels the hash records even if an
 * operator enables a channel meanwhile. Each exclusion list is read and matched in one statement.
 */
export async function readSealInputs(query: Query, fromEpoch: number, epoch: number): Promise<SealInputs> {
  const from = sql`${fromEpoch}::bigint`;
  const to = sql`${epoch}::bigint`;
  const channels = await query<{ id: string }>(sql`
    select channel_id::text as id from channels where enabled and channel_id is not null order by channel_id`);
  const enabled = sql`${pgArray(channels.map((c) => c.id))}::bigint[]`;
  // One text column per row, parsed here: building a 10-field object per row in the driver costs about twice as much.
  // The viewer comes last, so whatever it holds, the nine commas before it delimit the numbers.
  const packed = await query<{ r: string }>(sql`
    select concat_ws(',', p.epoch, p.channel_id, p.active_minutes, p.messages, p.subs, p.resubs, p.gifted_subs, p.bits,
      p.raid_viewers, p.viewer) as r
    from participation p
    where p.epoch between ${from} and ${to} and p.channel_id = any(${enabled})
    order by p.epoch, p.channel_id, p.viewer collate "C"`);
  const rows = packed.map(({ r }) => unpackRow(r));
  const listed = await query<{ list: 'suppressed' | 'bot'; viewer: string }>(sql`
    with listed as (
      select 'suppressed' as list, user_id from suppressions
      union all select 'bot', user_id from bots
    ), keys as (
      select list, user_id::text as viewer from listed
      union all
      select x.list, 'legacy:' || encode(l.login_hash, 'hex') from listed x join legacy_identities l using (user_id)
    )
    select distinct k.list, k.viewer collate "C" as viewer from keys k
    where exists (select 1 from participation p
      where p.viewer = k.viewer and p.epoch between ${from} and ${to} and p.channel_id = any(${enabled}))
    order by 1, 2`);
  return {
    enabledChannels: channels.map((c) => c.id),
    rows,
    suppressed: listed.filter((x) => x.list === 'suppressed').map((x) => x.viewer),
    bots: listed.filter((x) => x.list === 'bot').map((x) => x.viewer),
  };
}

function unpackRow(packed: string): EpochParticipationRow {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < 9; i++) {
    const comma = packed.indexOf(',', start);
    fields.push(packed.slice(start, comma));
    start = comma + 1;
  }
  const [epoch, channel, activeMinutes, messages, subs, resubs, giftedSubs, bits, raidViewers] = fields as [
    string,
    string,
    ...string[],
  ];
  return {
    epoch: Number(epoch),
    channel,
    viewer: packed.slice(start),
    activeMinutes: Number(activeMinutes),
    messages: Number(messages),
    subs: Number(subs),
    resubs: Number(resubs),
    giftedSubs: Number(giftedSubs),
    bits: Number(bits),
    raidViewers: Number(raidViewers),
  };
}
