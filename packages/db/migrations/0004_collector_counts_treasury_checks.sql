CREATE TABLE "treasury_checks" (
	"treasury" "bytea" PRIMARY KEY NOT NULL,
	"settlement" text NOT NULL,
	"outstanding" numeric(20, 0) NOT NULL,
	"balance" numeric(20, 0) NOT NULL,
	"shortfall" numeric(20, 0) NOT NULL,
	"wallets" integer NOT NULL,
	"treasury_exists" boolean NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collector_heartbeats" ADD COLUMN "events_received" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "collector_heartbeats" ADD COLUMN "events_flushed" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "collector_heartbeats" ADD COLUMN "events_late" bigint DEFAULT 0 NOT NULL;