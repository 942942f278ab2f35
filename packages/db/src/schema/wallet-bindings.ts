import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea } from './columns.js';

/**
 * Which wallet a viewer is paid to, with history: a binding ends (`unbound_at`) when the viewer binds another wallet.
 * At most one active binding per viewer; credit goes to the wallet active when it is credited.
 */
export const walletBindings = pgTable(
  'wallet_bindings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: bigint('user_id', { mode: 'bigint' }).notNull(),
    /** 32 bytes */
    wallet: bytea('wallet').notNull(),
    /** How the binding was proven: 'signature' (the wallet signed a challenge), 'admin', 'import'. */
    via: text('via').notNull(),
    boundAt: timestamp('bound_at', { withTimezone: true }).notNull().defaultNow(),
    unboundAt: timestamp('unbound_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('wallet_bindings_active_idx').on(t.userId).where(sql`unbound_at is null`),
    index('wallet_bindings_user_idx').on(t.userId, t.boundAt),
    index('wallet_bindings_wallet_idx').on(t.wallet),
  ],
);
