import { pgTable, timestamp } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/** Each wallet's cumulative credited total (the sum of its wallet_credits), kept in the same transaction as them. */
export const walletTotals = pgTable('wallet_totals', {
  wallet: bytea('wallet').primaryKey(),
  total: amount('total').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
