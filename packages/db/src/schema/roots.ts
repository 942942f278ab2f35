import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { amount, bytea } from './columns.js';

/**
 * Global roots this system built, or imported (a foreign root's dataset). Status:
 * 'built' (awaiting publish), 'awaiting-signature' (an unsigned publish transaction waits for an external signer),
 * 'published' (confirmed on chain), 'imported', 'superseded' (replaced by a newer build before publishing),
 * 'unpublished' (nowhere to publish: no program or no global root on this chain), 'alarm' (publishing stopped).
 */
export const roots = pgTable(
  'roots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    mint: bytea('mint').notNull(),
    seq: bigint('seq', { mode: 'bigint' }).notNull(),
    /** 'v4' | 'v5' */
    leafVersion: text('leaf_version').notNull(),
    root: bytea('root').notNull(),
    datasetHash: bytea('dataset_hash').notNull(),
    wallets: integer('wallets').notNull(),
    total: amount('total').notNull(),
    /** What the ledger held when this was built (to skip a build when nothing changed). */
    ledgerMark: text('ledger_mark').notNull(),
    status: text('status').notNull(),
    /** Why the status is what it is (an alarm's message, why it is unpublished). */
    reason: text('reason'),
    buildMs: integer('build_ms'),
    builtAt: timestamp('built_at', { withTimezone: true }).notNull().defaultNow(),
    /** The unsigned publish transaction for an external signer (wire bytes, base64 when exported). */
    unsignedTx: bytea('unsigned_tx'),
    publishSignature: text('publish_signature'),
    publishSlot: bigint('publish_slot', { mode: 'bigint' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    finalized: boolean('finalized').notNull().default(false),
  },
  (t) => [
    uniqueIndex('roots_chain_seq_idx').on(t.mint, t.seq).where(sql`status in ('published', 'imported')`),
    uniqueIndex('roots_in_flight_idx').on(t.mint).where(sql`status in ('built', 'awaiting-signature')`),
    index('roots_status_idx').on(t.status, t.seq),
  ],
);

/** A root's tree artifact and dataset, in parts of at most 8 MiB (a bytea holds at most 1 GiB). */
export const rootBlobs = pgTable(
  'root_blobs',
  {
    rootId: bigint('root_id', { mode: 'number' }).notNull(),
    /** 'artifact' | 'dataset' */
    kind: text('kind').notNull(),
    part: integer('part').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [uniqueIndex('root_blobs_pk').on(t.rootId, t.kind, t.part)],
);
