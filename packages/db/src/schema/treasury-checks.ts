// Treasury checks: the figures of the newest coverage check of each treasury, whether it was covered or short.
import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/**
 * One row per treasury token account, replaced by every coverage check (before each root build and by
 * `treasury check`): what was owed and not yet paid, what the treasury held, and the shortfall (0 when covered).
 */
export const treasuryChecks = pgTable('treasury_checks', {
  treasury: bytea('treasury').primaryKey(),
  /** 'merkle' | 'direct': how claims were counted as paid. */
  settlement: text('settlement').notNull(),
  outstanding: amount('outstanding').notNull(),
  /** Base units held; 0 when the account does not exist (treasury_exists false). */
  balance: amount('balance').notNull(),
  /** outstanding - balance when positive, else 0. */
  shortfall: amount('shortfall').notNull(),
  /** Wallets owed something. */
  wallets: integer('wallets').notNull(),
  treasuryExists: boolean('treasury_exists').notNull(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
});
