import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { amount } from './columns.js';

/** Amounts an older system already paid a viewer, imported so they are not paid twice. */
export const paidImports = pgTable(
  'paid_imports',
  {
    viewer: text('viewer').notNull(),
    source: text('source').notNull(),
    amount: amount('amount').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.viewer, t.source] })],
);
