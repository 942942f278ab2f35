import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/**
 * The ledger: what each viewer was credited and to which wallet. Append-only except that a row waiting for the
 * viewer's first binding (`wallet` null) gets its wallet once, when they bind. `amount = gross - offset`, where the
 * offset pays down corrections (and amounts an older system already paid).
 */
export const walletCredits = pgTable(
  'wallet_credits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Decimal Twitch user id, or `legacy:<login hash hex>` until that viewer logs in. */
    viewer: text('viewer').notNull(),
    /** Null while the viewer has no wallet bound. */
    wallet: bytea('wallet'),
    /** 'epoch' (a sealed epoch's allocations) or 'correction' (a positive correction). */
    kind: text('kind').notNull(),
    epoch: bigint('epoch', { mode: 'number' }),
    correctionId: bigint('correction_id', { mode: 'number' }),
    gross: amount('gross').notNull(),
    offset: amount('offset').notNull().default(sql`0`),
    amount: amount('amount').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the wallet was set: at crediting, or at the first binding for credit that waited. */
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('wallet_credits_epoch_idx').on(t.viewer, t.epoch).where(sql`kind = 'epoch'`),
    index('wallet_credits_wallet_idx').on(t.wallet),
    index('wallet_credits_waiting_idx').on(t.viewer).where(sql`wallet is null`),
  ],
);
