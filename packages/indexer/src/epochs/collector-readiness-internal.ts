// Seal readiness from the collectors' heartbeats, and the audit trail of collectors declared dead.
import { type SealReadiness, sealReadiness } from '@attention-oracle/core';
import { sql } from '@attention-oracle/db';
import { type Query, textArray } from './query-internal.js';

/** Timing of readiness; seconds, except `nowMs`. */
export interface ReadinessTiming {
  readonly epochSeconds: number;
  readonly graceSeconds: number;
  readonly deadAfterSeconds: number;
  readonly nowMs: number;
  readonly actor: string;
}

/**
 * Whether `epoch` may seal, by core's `sealReadiness` over the collectors' heartbeats (a stopped collector shut down
 * cleanly and holds nothing back). Watermarks are unix ms in the table and seconds in core: flooring is exact
 * for the comparison, since "flushed through ms >= s x 1000" holds exactly when floor(ms / 1000) >= s.
 * Each collector found dead gets one `collector.dead` audit entry per silence (keyed by its last heartbeat).
 */
export async function collectorReadiness(query: Query, epoch: number, timing: ReadinessTiming): Promise<SealReadiness> {
  const watermarks = await query<{
    collectorId: string;
    flushedThrough: number;
    lastHeartbeat: number;
    stopped: boolean;
  }>(sql`
    select collector_id as "collectorId", floor(flushed_through / 1000.0)::float8 as "flushedThrough",
      floor(extract(epoch from last_heartbeat))::float8 as "lastHeartbeat", status = 'stopped' as stopped
    from collector_heartbeats order by collector_id`);
  const readiness = sealReadiness({
    epoch,
    lengthSeconds: timing.epochSeconds,
    graceSeconds: timing.graceSeconds,
    deadAfterSeconds: timing.deadAfterSeconds,
    now: Math.floor(timing.nowMs / 1000),
    watermarks,
  });
  if (readiness.dead.length > 0) {
    await query(sql`
      insert into audit_log (actor, action, subject, details)
      select ${timing.actor}, 'collector.dead', h.collector_id, jsonb_build_object(
        'lastHeartbeat', h.last_heartbeat, 'flushedThrough', h.flushed_through, 'declaredAt', ${timing.nowMs}::bigint,
        'epoch', ${epoch}::bigint)
      from collector_heartbeats h
      where h.collector_id = any(${textArray(readiness.dead)}::text[]) and not exists (
        select 1 from audit_log a where a.action = 'collector.dead' and a.subject = h.collector_id
          and (a.details ->> 'lastHeartbeat')::timestamptz = h.last_heartbeat)`);
  }
  return readiness;
}
