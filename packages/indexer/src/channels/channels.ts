// Channels earn only when an operator enables them; discovery only proposes.
import { parseLogin } from '@attention-oracle/core';
import { auditLog, channels, type DatabaseHandle, pgArray, sql } from '@attention-oracle/db';
import { eq } from 'drizzle-orm';
import type { ChannelProposal } from '../chat/discovery.js';

/** Enables channels by login (creating their rows), recording who did it. Invalid logins are rejected, not fixed. */
export async function enableChannels(db: DatabaseHandle, logins: readonly string[], actor: string): Promise<string[]> {
  const valid = [...new Set(logins.map(parseLogin))];
  if (valid.length === 0) return [];
  const now = new Date();
  const changed = await db.db
    .insert(channels)
    .values(valid.map((login) => ({ login, enabled: true, enabledAt: now, enabledBy: actor })))
    .onConflictDoUpdate({
      target: channels.login,
      set: { enabled: true, enabledAt: now, enabledBy: actor },
      setWhere: sql`${channels.enabled} = false`,
    })
    .returning({ login: channels.login });
  if (changed.length > 0) {
    await db.db.insert(auditLog).values({
      actor,
      action: 'channels.enable',
      subject: changed.map((c) => c.login).join(','),
    });
  }
  return changed.map((c) => c.login);
}

/** Disables a channel: it stops earning from the next sealed epoch; its history stays. */
export async function disableChannel(db: DatabaseHandle, login: string, actor: string): Promise<boolean> {
  const [row] = await db.db
    .update(channels)
    .set({ enabled: false })
    .where(eq(channels.login, parseLogin(login)))
    .returning({ login: channels.login });
  if (row) await db.db.insert(auditLog).values({ actor, action: 'channels.disable', subject: row.login });
  return row !== undefined;
}

/** Logins of the enabled channels, sorted: what collectors join. */
export async function enabledChannelLogins(db: DatabaseHandle): Promise<string[]> {
  const rows = await db.db.select({ login: channels.login }).from(channels).where(eq(channels.enabled, true));
  return rows.map((r) => r.login).sort();
}

/** Records discovery's proposals without enabling any; returns how many were new. */
export async function proposeChannels(db: DatabaseHandle, proposals: readonly ChannelProposal[]): Promise<number> {
  if (proposals.length === 0) return 0;
  const [row] = await db.query<{ n: number }>(sql`
    with added as (
      insert into channels (login, channel_id, proposed_at, viewer_count)
      select login, channel_id, now(), viewers
      from unnest(${pgArray(proposals.map((p) => p.login))}::text[], ${pgArray(proposals.map((p) => p.channelId))}::bigint[],
        ${pgArray(proposals.map((p) => p.viewerCount))}::int[]) as t(login, channel_id, viewers)
      on conflict (login) do update set viewer_count = excluded.viewer_count, proposed_at = now()
      returning (xmax = 0) as inserted)
    select count(*) filter (where inserted)::int as n from added`);
  return row?.n ?? 0;
}

/** Remembers the room id of each channel login seen in chat, so sealing can join participation to enabled channels. */
export async function learnChannelIds(db: DatabaseHandle, pairs: ReadonlyMap<string, string>): Promise<void> {
  if (pairs.size === 0) return;
  await db.query(sql`
    update channels c set channel_id = t.channel_id
    from unnest(${pgArray([...pairs.keys()])}::text[], ${pgArray([...pairs.values()])}::bigint[]) as t(login, channel_id)
    where c.login = t.login and c.channel_id is distinct from t.channel_id`);
}
