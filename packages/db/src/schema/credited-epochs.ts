import { bigint, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { amount } from './columns.js';

/** Sealed epochs whose allocations are in the ledger; an epoch is credited once. */
export const creditedEpochs = pgTable('credited_epochs', {
  epoch: bigint('epoch', { mode: 'number' }).primaryKey(),
  viewers: integer('viewers').notNull(),
  /** Credited to wallets, after offsets. */
  credited: amount('credited').notNull(),
  /** Credited to viewers with no wallet yet (waits for their first binding). */
  waiting: amount('waiting').notNull(),
  /** Allocations not credited because the viewer had opted out by crediting time. */
  optedOut: integer('opted_out').notNull(),
  creditedAt: timestamp('credited_at', { withTimezone: true }).notNull().defaultNow(),
});
