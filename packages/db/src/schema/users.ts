import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Viewers by numeric Twitch user id; logins change and are only the latest seen. */
export const users = pgTable(
  'users',
  {
    userId: bigint('user_id', { mode: 'bigint' }).primaryKey(),
    login: text('login').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [index('users_login_idx').on(t.login)],
);
