import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/** GlobalRewardsClaimed events seen on chain (merkle settlement), by transaction signature and event index. */
export const chainClaims = pgTable(
  'chain_claims',
  {
    signature: text('signature').notNull(),
    eventIndex: integer('event_index').notNull(),
    claimer: bytea('claimer').notNull(),
    /** The gross delta transferred. */
    amount: amount('amount').notNull(),
    cumulativeTotal: amount('cumulative_total').notNull(),
    rootSeq: bigint('root_seq', { mode: 'bigint' }).notNull(),
    slot: bigint('slot', { mode: 'bigint' }).notNull(),
    blockTime: timestamp('block_time', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.signature, t.eventIndex] }),
    index('chain_claims_claimer_idx').on(t.claimer, t.slot),
    index('chain_claims_slot_idx').on(t.slot),
  ],
);

/** GlobalRootPublished events seen on chain, whoever published them. */
export const chainRootEvents = pgTable(
  'chain_root_events',
  {
    signature: text('signature').notNull(),
    eventIndex: integer('event_index').notNull(),
    mint: bytea('mint').notNull(),
    rootSeq: bigint('root_seq', { mode: 'bigint' }).notNull(),
    root: bytea('root').notNull(),
    datasetHash: bytea('dataset_hash').notNull(),
    publisher: bytea('publisher').notNull(),
    slot: bigint('slot', { mode: 'bigint' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.signature, t.eventIndex] }),
    index('chain_root_events_seq_idx').on(t.mint, t.rootSeq),
  ],
);

/** Where chain-watch resumes: the newest signature (and its slot) fully recorded, per watched address. */
export const chainCursors = pgTable('chain_cursors', {
  name: text('name').primaryKey(),
  signature: text('signature').notNull(),
  slot: bigint('slot', { mode: 'bigint' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
