import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { amount } from './columns.js';

/**
 * Corrections to a viewer's credit, audited. A positive one is credited at once; a negative one never lowers a total:
 * `remaining` is withheld from the viewer's future credit until it reaches zero. Amounts an older system already paid
 * (paid imports) are negative corrections too.
 */
export const corrections = pgTable(
  'corrections',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    viewer: text('viewer').notNull(),
    /** 'credit' (positive, credited at once) or 'offset' (withheld from future credit). */
    kind: text('kind').notNull(),
    amount: amount('amount').notNull(),
    /** For offsets: what is still to be withheld. */
    remaining: amount('remaining').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('corrections_viewer_idx').on(t.viewer)],
);
