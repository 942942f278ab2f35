// admin.audit: recent audit_log rows (who did what to which subject), filtered by action or actor, a page at a time.
import { type RawQuery, sql } from '@attention-oracle/db';
import { z } from 'zod';
import { limitInput, rowIdInput } from '../inputs.js';
import { router } from '../trpc.js';
import { adminRoute } from './procedure.js';

/**
 * One audit_log row as the API states it.
 *
 * @example z.object({ entries: z.array(auditEntryOutput) })
 */
export const auditEntryOutput = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

/** The shape of {@link auditEntryOutput}. */
export type AuditEntry = z.infer<typeof auditEntryOutput>;

/** A SQL fragment, as `sql` makes it. */
type SQL = Parameters<RawQuery>[0];

interface AuditRow {
  id: string;
  at: Date | string;
  actor: string;
  action: string;
  subject: string | null;
  details: unknown;
}

function detailsOf(value: unknown): Record<string, unknown> | null {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (parsed === null || parsed === undefined) return null;
  return typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
}

/**
 * Audit rows matching `where`, newest first: at most `limit`, only ids below `before` when given.
 *
 * @example const entries = await auditEntries(ctx.db.query, sql`actor = ${'cli'}`, { limit: 50 });
 */
export async function auditEntries(
  query: RawQuery,
  where: SQL,
  page: { limit: number; before?: number | undefined },
): Promise<AuditEntry[]> {
  const before = page.before === undefined ? sql`` : sql`and id < ${page.before}::bigint`;
  const rows = await query<AuditRow>(sql`
    select id::text as id, at, actor, action, subject, details from audit_log
    where (${where}) ${before} order by id desc limit ${page.limit}::int`);
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    details: detailsOf(r.details),
  }));
}

/**
 * admin.audit.list.
 *
 * @example const { entries } = await client.admin.audit.list.query({ action: 'claim.', limit: 50 });
 */
export const adminAuditRouter = router({
  list: adminRoute({
    method: 'GET',
    path: '/audit',
    summary: 'Audit log rows, newest first; action "claim." matches every action starting with it',
    scopes: ['admin'],
  })
    .input(
      z.object({
        action: z
          .string()
          .regex(/^[a-z0-9_.-]{1,64}$/, 'action must be 1-64 of a-z, 0-9, _, . and -')
          .optional(),
        actor: z.string().min(1).max(200).optional(),
        limit: limitInput(500, 100),
        before: rowIdInput.optional(),
      }),
    )
    .output(z.object({ entries: z.array(auditEntryOutput) }))
    .query(async ({ ctx, input }) => {
      const filters: SQL[] = [sql`true`];
      if (input.action !== undefined) {
        filters.push(
          input.action.endsWith('.') ? sql`starts_with(action, ${input.action})` : sql`action = ${input.action}`,
        );
      }
      if (input.actor !== undefined) filters.push(sql`actor = ${input.actor}`);
      const entries = await auditEntries(ctx.db.query, sql.join(filters, sql` and `), input);
      return { entries };
    }),
});
