import { bigint, boolean, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/**
 * Epochs by start second. 'open' while events may still arrive (`dirty` when new events await aggregation);
 * 'sealed' once allocations are written: a sealed epoch is never modified.
 */
export const epochs = pgTable(
  'epochs',
  {
    epoch: bigint('epoch', { mode: 'number' }).primaryKey(),
    lengthSeconds: integer('length_seconds').notNull(),
    status: text('status').notNull().default('open'),
    dirty: boolean('dirty').notNull().default(false),
    source: text('source').notNull().default('chat'),
    policyId: text('policy_id'),
    paramsHash: text('params_hash'),
    inputHash: bytea('input_hash'),
    eventCount: bigint('event_count', { mode: 'number' }),
    participantCount: integer('participant_count'),
    allocationCount: integer('allocation_count'),
    total: amount('total'),
    scaledByBudget: boolean('scaled_by_budget'),
    sealedAt: timestamp('sealed_at', { withTimezone: true }),
  },
  (t) => [index('epochs_status_idx').on(t.status, t.epoch)],
);
