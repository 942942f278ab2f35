import { bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns.js';

/** Admin API keys, stored as sha256 of the secret; the secret is shown once, at creation. */
export const apiKeys = pgTable('api_keys', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  /** The key's first characters, to tell keys apart in lists and logs. */
  prefix: text('prefix').notNull().unique(),
  hash: bytea('hash').notNull().unique(),
  scopes: text('scopes').array().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});
