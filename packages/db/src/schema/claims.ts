import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/**
 * Direct-settlement claims: the treasury pays a wallet the gross delta between its total and what it was paid.
 * 'reserved' (row claimed, nothing signed yet) -> 'pending' (signed; signature, last valid block height and the wire
 * transaction stored before sending) -> 'settled' (landed) | 'failed' (landed with an error) | 'voided' (its blockhash
 * expired without it, or it was never sent). At most one reserved or pending claim per wallet.
 */
export const claims = pgTable(
  'claims',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    wallet: bytea('wallet').notNull(),
    /** Gross amount transferred (the recipient nets it minus the mint's transfer fee). */
    amount: amount('amount').notNull(),
    /** The transfer fee the mint withholds from `amount`, as computed when signing. */
    fee: amount('fee'),
    /** The wallet's total and what it had been paid when the claim was reserved. */
    total: amount('total').notNull(),
    paidBefore: amount('paid_before').notNull(),
    status: text('status').notNull(),
    signature: text('signature'),
    lastValidBlockHeight: bigint('last_valid_block_height', { mode: 'bigint' }),
    transaction: bytea('transaction'),
    slot: bigint('slot', { mode: 'bigint' }),
    error: text('error'),
    requestedBy: text('requested_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('claims_open_idx').on(t.wallet).where(sql`status in ('reserved', 'pending')`),
    uniqueIndex('claims_signature_idx').on(t.signature),
    index('claims_wallet_idx').on(t.wallet, t.createdAt),
    index('claims_status_idx').on(t.status, t.createdAt),
  ],
);
