import { bigint, index, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns.js';

/** Viewers known to older systems only by keccak256(lowercase(login)); joined to a user id at first login. */
export const legacyIdentities = pgTable(
  'legacy_identities',
  {
    loginHash: bytea('login_hash').primaryKey(),
    userId: bigint('user_id', { mode: 'bigint' }),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
    joinedAt: timestamp('joined_at', { withTimezone: true }),
  },
  (t) => [index('legacy_identities_user_idx').on(t.userId)],
);
