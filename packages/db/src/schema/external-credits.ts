import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/** V5 base yield per wallet, imported per root from an external source: cumulative, like every leaf amount. */
export const externalCredits = pgTable(
  'external_credits',
  {
    rootSeq: bigint('root_seq', { mode: 'bigint' }).notNull(),
    wallet: bytea('wallet').notNull(),
    baseYield: amount('base_yield').notNull(),
  },
  (t) => [primaryKey({ columns: [t.rootSeq, t.wallet] }), index('external_credits_wallet_idx').on(t.wallet, t.rootSeq)],
);

/** One row per imported external-credit file. */
export const externalCreditImports = pgTable('external_credit_imports', {
  rootSeq: bigint('root_seq', { mode: 'bigint' }).primaryKey(),
  source: text('source').notNull(),
  /** keccak256 of the file, hex */
  fileHash: text('file_hash').notNull(),
  wallets: integer('wallets').notNull(),
  total: amount('total').notNull(),
  importedBy: text('imported_by').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});
