CREATE TABLE "alarms" (
	"name" text PRIMARY KEY NOT NULL,
	"message" text NOT NULL,
	"details" jsonb,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" "bytea" NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_prefix_unique" UNIQUE("prefix"),
	CONSTRAINT "api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "chain_claims" (
	"signature" text NOT NULL,
	"event_index" integer NOT NULL,
	"claimer" "bytea" NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"cumulative_total" numeric(20, 0) NOT NULL,
	"root_seq" bigint NOT NULL,
	"slot" bigint NOT NULL,
	"block_time" timestamp with time zone,
	CONSTRAINT "chain_claims_signature_event_index_pk" PRIMARY KEY("signature","event_index")
);
--> statement-breakpoint
CREATE TABLE "chain_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"signature" text NOT NULL,
	"slot" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chain_root_events" (
	"signature" text NOT NULL,
	"event_index" integer NOT NULL,
	"mint" "bytea" NOT NULL,
	"root_seq" bigint NOT NULL,
	"root" "bytea" NOT NULL,
	"dataset_hash" "bytea" NOT NULL,
	"publisher" "bytea" NOT NULL,
	"slot" bigint NOT NULL,
	CONSTRAINT "chain_root_events_signature_event_index_pk" PRIMARY KEY("signature","event_index")
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"wallet" "bytea" NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"fee" numeric(20, 0),
	"total" numeric(20, 0) NOT NULL,
	"paid_before" numeric(20, 0) NOT NULL,
	"status" text NOT NULL,
	"signature" text,
	"last_valid_block_height" bigint,
	"transaction" "bytea",
	"slot" bigint,
	"error" text,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "corrections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"viewer" text NOT NULL,
	"kind" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"remaining" numeric(20, 0) NOT NULL,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credited_epochs" (
	"epoch" bigint PRIMARY KEY NOT NULL,
	"viewers" integer NOT NULL,
	"credited" numeric(20, 0) NOT NULL,
	"waiting" numeric(20, 0) NOT NULL,
	"opted_out" integer NOT NULL,
	"credited_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "external_credit_imports" (
	"root_seq" bigint PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"file_hash" text NOT NULL,
	"wallets" integer NOT NULL,
	"total" numeric(20, 0) NOT NULL,
	"imported_by" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "external_credits" (
	"root_seq" bigint NOT NULL,
	"wallet" "bytea" NOT NULL,
	"base_yield" numeric(20, 0) NOT NULL,
	CONSTRAINT "external_credits_root_seq_wallet_pk" PRIMARY KEY("root_seq","wallet")
);
--> statement-breakpoint
CREATE TABLE "root_blobs" (
	"root_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"part" integer NOT NULL,
	"data" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mint" "bytea" NOT NULL,
	"seq" bigint NOT NULL,
	"leaf_version" text NOT NULL,
	"root" "bytea" NOT NULL,
	"dataset_hash" "bytea" NOT NULL,
	"wallets" integer NOT NULL,
	"total" numeric(20, 0) NOT NULL,
	"ledger_mark" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"build_ms" integer,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unsigned_tx" "bytea",
	"publish_signature" text,
	"publish_slot" bigint,
	"published_at" timestamp with time zone,
	"finalized" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wallet_bindings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"wallet" "bytea" NOT NULL,
	"via" text NOT NULL,
	"bound_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unbound_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wallet_credits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"viewer" text NOT NULL,
	"wallet" "bytea",
	"kind" text NOT NULL,
	"epoch" bigint,
	"correction_id" bigint,
	"gross" numeric(20, 0) NOT NULL,
	"offset" numeric(20, 0) DEFAULT 0 NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assigned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wallet_totals" (
	"wallet" "bytea" PRIMARY KEY NOT NULL,
	"total" numeric(20, 0) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "chain_claims_claimer_idx" ON "chain_claims" USING btree ("claimer","slot");--> statement-breakpoint
CREATE INDEX "chain_claims_slot_idx" ON "chain_claims" USING btree ("slot");--> statement-breakpoint
CREATE INDEX "chain_root_events_seq_idx" ON "chain_root_events" USING btree ("mint","root_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_open_idx" ON "claims" USING btree ("wallet") WHERE status in ('reserved', 'pending');--> statement-breakpoint
CREATE UNIQUE INDEX "claims_signature_idx" ON "claims" USING btree ("signature");--> statement-breakpoint
CREATE INDEX "claims_wallet_idx" ON "claims" USING btree ("wallet","created_at");--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "corrections_viewer_idx" ON "corrections" USING btree ("viewer");--> statement-breakpoint
CREATE INDEX "external_credits_wallet_idx" ON "external_credits" USING btree ("wallet","root_seq");--> statement-breakpoint
CREATE UNIQUE INDEX "root_blobs_pk" ON "root_blobs" USING btree ("root_id","kind","part");--> statement-breakpoint
CREATE UNIQUE INDEX "roots_chain_seq_idx" ON "roots" USING btree ("mint","seq") WHERE status in ('published', 'imported');--> statement-breakpoint
CREATE UNIQUE INDEX "roots_in_flight_idx" ON "roots" USING btree ("mint") WHERE status in ('built', 'awaiting-signature');--> statement-breakpoint
CREATE INDEX "roots_status_idx" ON "roots" USING btree ("status","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_bindings_active_idx" ON "wallet_bindings" USING btree ("user_id") WHERE unbound_at is null;--> statement-breakpoint
CREATE INDEX "wallet_bindings_user_idx" ON "wallet_bindings" USING btree ("user_id","bound_at");--> statement-breakpoint
CREATE INDEX "wallet_bindings_wallet_idx" ON "wallet_bindings" USING btree ("wallet");--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_credits_epoch_idx" ON "wallet_credits" USING btree ("viewer","epoch") WHERE kind = 'epoch';--> statement-breakpoint
CREATE INDEX "wallet_credits_wallet_idx" ON "wallet_credits" USING btree ("wallet");--> statement-breakpoint
CREATE INDEX "wallet_credits_waiting_idx" ON "wallet_credits" USING btree ("viewer") WHERE wallet is null;--> statement-breakpoint
-- Artifacts are hashes and datasets are stored gzipped: compressing them again only costs time.
ALTER TABLE "root_blobs" ALTER COLUMN "data" SET STORAGE EXTERNAL;
--> statement-breakpoint
-- A wallet's total never decreases and credited rows are never taken back: the database itself refuses.
create or replace function reject_ledger_decrease() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'wallet_totals' then
    if tg_op = 'DELETE' or new.total < old.total or new.wallet <> old.wallet then
      raise exception 'ledger: % of wallet_totals would lower a total', tg_op;
    end if;
  elsif tg_op = 'DELETE' or old.wallet is not null or new.amount <> old.amount or new.viewer <> old.viewer
        or new.gross <> old.gross or new."offset" <> old."offset" then
    -- The only update allowed: a credit that waited for its viewer's first binding gets its wallet.
    raise exception 'ledger: % of a wallet_credits row is not allowed', tg_op;
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
--> statement-breakpoint
create trigger wallet_totals_monotone before update or delete on wallet_totals
  for each row execute function reject_ledger_decrease();
--> statement-breakpoint
create trigger wallet_credits_append_only before update or delete on wallet_credits
  for each row execute function reject_ledger_decrease();
