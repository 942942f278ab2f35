// datasets.get: the published dataset of any stored root, so anyone can rebuild it.
import { sql } from '@attention-oracle/db';
import { exportDataset } from '@attention-oracle/indexer';
import { z } from 'zod';
import { fail, ok, type Result, unwrap } from '../errors.js';
import { seqInput } from '../inputs.js';
import { publicProcedure, router } from '../trpc.js';

/** datasets.get. */
export const datasetsRouter = router({
  get: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        protect: false,
        path: '/v1/datasets/{seq}',
        tags: ['datasets'],
        summary: 'The dataset file of a root',
      },
    })
    .input(z.object({ seq: seqInput }))
    .output(z.object({ rootSeq: z.string(), dataset: z.string() }))
    .query(async ({ ctx, input }) => {
      if (ctx.mint === null) return unwrap(fail('PRECONDITION_FAILED', 'no mint configured'));
      const rows = await ctx.db.query<{ id: string }>(
        sql`select id::text as id from roots
          where mint = ${ctx.mint} and seq = ${input.seq}::bigint and status in ('published', 'imported', 'unpublished')
          order by id desc limit 1`,
      );
      const row = rows[0];
      let result: Result<{ rootSeq: string; dataset: string }>;
      if (row === undefined) result = fail('NOT_FOUND', `root ${input.seq} has no published dataset`);
      else {
        const file = await exportDataset(ctx.db.query, { rootId: Number(row.id) });
        result = ok({ rootSeq: input.seq, dataset: Buffer.from(file).toString('utf8') });
      }
      return unwrap(result);
    }),
});
