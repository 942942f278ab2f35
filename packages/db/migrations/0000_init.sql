CREATE TABLE "allocations" (
	"epoch" bigint NOT NULL,
	"channel_id" bigint NOT NULL,
	"viewer" text NOT NULL,
	"points" numeric(20, 0) NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	CONSTRAINT "allocations_epoch_channel_id_viewer_pk" PRIMARY KEY("epoch","channel_id","viewer")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "bots" (
	"user_id" bigint PRIMARY KEY NOT NULL,
	"login" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"login" text PRIMARY KEY NOT NULL,
	"channel_id" bigint,
	"enabled" boolean DEFAULT false NOT NULL,
	"enabled_at" timestamp with time zone,
	"enabled_by" text,
	"proposed_at" timestamp with time zone,
	"viewer_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channels_channel_id_unique" UNIQUE("channel_id")
);
--> statement-breakpoint
CREATE TABLE "chat_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"epoch" bigint NOT NULL,
	"channel_id" bigint NOT NULL,
	"user_id" bigint,
	"kind" smallint NOT NULL,
	"sent_at" bigint NOT NULL,
	"bits" integer DEFAULT 0 NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"target_id" uuid
);
--> statement-breakpoint
CREATE TABLE "collector_heartbeats" (
	"collector_id" text PRIMARY KEY NOT NULL,
	"flushed_through" bigint NOT NULL,
	"last_heartbeat" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"channels" integer DEFAULT 0 NOT NULL,
	"spool_backlog" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'live' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "epochs" (
	"epoch" bigint PRIMARY KEY NOT NULL,
	"length_seconds" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"dirty" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'chat' NOT NULL,
	"policy_id" text,
	"params_hash" text,
	"input_hash" "bytea",
	"event_count" bigint,
	"participant_count" integer,
	"allocation_count" integer,
	"total" numeric(20, 0),
	"scaled_by_budget" boolean,
	"sealed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"data" jsonb NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"last_error" text,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "late_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"epoch" bigint NOT NULL,
	"channel_id" bigint NOT NULL,
	"user_id" bigint,
	"kind" smallint NOT NULL,
	"sent_at" bigint NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legacy_identities" (
	"login_hash" "bytea" PRIMARY KEY NOT NULL,
	"user_id" bigint,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"joined_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "paid_imports" (
	"viewer" text NOT NULL,
	"source" text NOT NULL,
	"amount" numeric(20, 0) NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "paid_imports_viewer_source_pk" PRIMARY KEY("viewer","source")
);
--> statement-breakpoint
CREATE TABLE "participation" (
	"epoch" bigint NOT NULL,
	"channel_id" bigint NOT NULL,
	"viewer" text NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	"active_minutes" integer DEFAULT 0 NOT NULL,
	"subs" integer DEFAULT 0 NOT NULL,
	"resubs" integer DEFAULT 0 NOT NULL,
	"gifted_subs" integer DEFAULT 0 NOT NULL,
	"bits" integer DEFAULT 0 NOT NULL,
	"raid_viewers" integer DEFAULT 0 NOT NULL,
	"first_seen" bigint,
	"last_seen" bigint,
	"source" text DEFAULT 'chat' NOT NULL,
	CONSTRAINT "participation_epoch_channel_id_viewer_pk" PRIMARY KEY("epoch","channel_id","viewer")
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"user_id" bigint PRIMARY KEY NOT NULL,
	"reason" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"user_id" bigint PRIMARY KEY NOT NULL,
	"login" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "allocations_viewer_idx" ON "allocations" USING btree ("viewer","epoch");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_action_idx" ON "audit_log" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "channels_enabled_idx" ON "channels" USING btree ("enabled");--> statement-breakpoint
CREATE INDEX "chat_events_epoch_channel_idx" ON "chat_events" USING btree ("epoch","channel_id");--> statement-breakpoint
CREATE INDEX "epochs_status_idx" ON "epochs" USING btree ("status","epoch");--> statement-breakpoint
CREATE INDEX "jobs_ready_idx" ON "jobs" USING btree ("queue","status","run_at");--> statement-breakpoint
CREATE INDEX "late_events_epoch_idx" ON "late_events" USING btree ("epoch");--> statement-breakpoint
CREATE INDEX "legacy_identities_user_idx" ON "legacy_identities" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "participation_viewer_idx" ON "participation" USING btree ("viewer","epoch");--> statement-breakpoint
CREATE INDEX "users_login_idx" ON "users" USING btree ("login");