// Alarms: named conditions that stop something (publishing, paying) until an operator acts. Raising is idempotent.
import { type RawQuery, sql } from '@attention-oracle/db';

/** The alarms the indexer raises. */
export type AlarmName = 'treasury-coverage' | 'root-publish';

export interface Alarm {
  name: string;
  message: string;
  details: unknown;
  raisedAt: Date;
}

/** Raises (or updates the message of) alarm `name`; it stays active until {@link clearAlarm}. */
export async function raiseAlarm(query: RawQuery, name: AlarmName, message: string, details?: unknown): Promise<void> {
  const json =
    details === undefined ? null : JSON.stringify(details, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  await query(sql`
    insert into alarms (name, message, details) values (${name}, ${message}, ${json}::jsonb)
    on conflict (name) do update set message = excluded.message, details = excluded.details,
      raised_at = case when alarms.cleared_at is null then alarms.raised_at else now() end, cleared_at = null`);
}

/** Clears alarm `name` if it is active. */
export async function clearAlarm(query: RawQuery, name: AlarmName): Promise<void> {
  await query(sql`update alarms set cleared_at = now() where name = ${name} and cleared_at is null`);
}

/** The active alarms, oldest first. */
export async function activeAlarms(query: RawQuery): Promise<Alarm[]> {
  const rows = await query<{ name: string; message: string; details: unknown; raised_at: Date | string }>(sql`
    select name, message, details, raised_at from alarms where cleared_at is null order by raised_at`);
  return rows.map((r) => ({ name: r.name, message: r.message, details: r.details, raisedAt: new Date(r.raised_at) }));
}
