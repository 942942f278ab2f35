// Epochs: their status, counts, totals and input hash.
import { sql } from '@attention-oracle/db';
import { z } from 'zod';
import { fail, ok, type Result, unwrap } from '../errors.js';
import { hex } from '../hex.js';
import { publicProcedure, router } from '../trpc.js';

const epochOutput = z.object({
  epoch: z.number().int(),
  lengthSeconds: z.number().int(),
  status: z.string(),
  policyId: z.string().nullable(),
  eventCount: z.number().int().nullable(),
  participantCount: z.number().int().nullable(),
  allocationCount: z.number().int().nullable(),
  /** Total allocated, base units, decimal. */
  total: z.string().nullable(),
  inputHash: z.string().nullable(),
  sealedAt: z.string().nullable(),
});
type EpochOutput = z.infer<typeof epochOutput>;

interface EpochRow {
  epoch: string;
  length_seconds: number;
  status: string;
  policy_id: string | null;
  event_count: string | null;
  participant_count: number | null;
  allocation_count: number | null;
  total: string | null;
  input_hash: Uint8Array | null;
  sealed_at: Date | string | null;
}

const COLUMNS = sql.raw(`epoch::text as epoch, length_seconds, status, policy_id, event_count::text as event_count,
  participant_count, allocation_count, total::text as total, input_hash, sealed_at`);

const toOutput = (row: EpochRow): EpochOutput => ({
  epoch: Number(row.epoch),
  lengthSeconds: row.length_seconds,
  status: row.status,
  policyId: row.policy_id,
  eventCount: row.event_count === null ? null : Number(row.event_count),
  participantCount: row.participant_count,
  allocationCount: row.allocation_count,
  total: row.total,
  inputHash: row.input_hash === null ? null : hex(new Uint8Array(row.input_hash)),
  sealedAt: row.sealed_at === null ? null : new Date(row.sealed_at).toISOString(),
});

const epochSecond = z.coerce
  .number()
  .int()
  .min(0)
  .max(2 ** 40);

/** epochs.list and epochs.get. */
export const epochsRouter = router({
  list: publicProcedure
    .meta({
      openapi: { method: 'GET', protect: false, path: '/v1/epochs', tags: ['epochs'], summary: 'Epochs, newest first' },
    })
    .input(
      z.object({
        limit: z.coerce.number().int().min(1).max(200).default(24),
        /** Only epochs that start before this second. */
        before: epochSecond.optional(),
      }),
    )
    .output(z.object({ epochs: z.array(epochOutput) }))
    .query(async ({ ctx, input }) => {
      const before = input.before === undefined ? sql`` : sql`where epoch < ${input.before}::bigint`;
      const rows = await ctx.db.query<EpochRow>(
        sql`select ${COLUMNS} from epochs ${before} order by epoch desc limit ${input.limit}::int`,
      );
      return { epochs: rows.map(toOutput) };
    }),
  get: publicProcedure
    .meta({
      openapi: { method: 'GET', protect: false, path: '/v1/epochs/{epoch}', tags: ['epochs'], summary: 'One epoch' },
    })
    .input(z.object({ epoch: epochSecond }))
    .output(epochOutput)
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.query<EpochRow>(
        sql`select ${COLUMNS} from epochs where epoch = ${input.epoch}::bigint`,
      );
      const found: Result<EpochOutput> =
        rows[0] === undefined ? fail('NOT_FOUND', `epoch ${input.epoch} does not exist`) : ok(toOutput(rows[0]));
      return unwrap(found);
    }),
});
