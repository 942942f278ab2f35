CREATE TABLE "leaderboard_epochs" (
	"epoch" bigint PRIMARY KEY NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Until now every seal added its epoch to the totals in its own transaction: every sealed epoch is on the leaderboard.
INSERT INTO "leaderboard_epochs" ("epoch") SELECT "epoch" FROM "epochs" WHERE "status" = 'sealed';
