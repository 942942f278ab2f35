CREATE TABLE "channel_viewer_totals" (
	"channel_id" bigint NOT NULL,
	"viewer" text NOT NULL,
	"total" numeric(20, 0) NOT NULL,
	CONSTRAINT "channel_viewer_totals_channel_id_viewer_pk" PRIMARY KEY("channel_id","viewer")
);
--> statement-breakpoint
CREATE TABLE "leaderboard_buckets" (
	"bucket" integer PRIMARY KEY NOT NULL,
	"viewers" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "viewer_totals" (
	"viewer" text PRIMARY KEY NOT NULL,
	"total" numeric(20, 0) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "channel_viewer_totals_rank_idx" ON "channel_viewer_totals" USING btree ("channel_id","total" DESC NULLS LAST,"viewer");--> statement-breakpoint
CREATE INDEX "viewer_totals_rank_idx" ON "viewer_totals" USING btree ("total" DESC NULLS LAST,"viewer");--> statement-breakpoint
-- Buckets of totals for ranks: exact values below 100, then a bucket per (number of digits, first three digits), so
-- that a bucket spans at most 1% of its values; both functions are monotone in the total.
create or replace function leaderboard_bucket(total numeric) returns integer language sql immutable parallel safe as $$
  select case when total < 100 then trunc(total)::integer
    else length(trunc(total)::text) * 1000 + left(trunc(total)::text, 3)::integer end
$$;
--> statement-breakpoint
-- The smallest total of the next bucket: a bucket's totals are those t with bucket start <= t < leaderboard_bucket_end.
create or replace function leaderboard_bucket_end(total numeric) returns numeric language sql immutable parallel safe as $$
  select case when total < 100 then trunc(total) + 1
    else (left(trunc(total)::text, 3)::numeric + 1) * 10::numeric ^ (length(trunc(total)::text) - 3) end
$$;
--> statement-breakpoint
-- leaderboard_buckets counts the viewers on the leaderboard: total above 0 and not opted out. An opt-out (or its
-- removal) moves the viewer out of (or back into) its bucket, under the leaderboard lock the seals and joins take.
create or replace function leaderboard_suppression_changed() returns trigger language plpgsql as $$
declare
  uid bigint;
  t numeric;
begin
  if tg_op = 'INSERT' then uid := new.user_id; else uid := old.user_id; end if;
  perform pg_advisory_xact_lock(7426005);
  select total into t from viewer_totals where viewer = uid::text;
  if t > 0 then
    insert into leaderboard_buckets (bucket, viewers)
      values (leaderboard_bucket(t), case when tg_op = 'INSERT' then -1 else 1 end)
      on conflict (bucket) do update set viewers = leaderboard_buckets.viewers + excluded.viewers;
  end if;
  return null;
end $$;
--> statement-breakpoint
-- Recounts every bucket from viewer_totals and suppressions.
create or replace function leaderboard_recount_buckets() returns void language plpgsql as $$
begin
  perform pg_advisory_xact_lock(7426005);
  delete from leaderboard_buckets;
  insert into leaderboard_buckets (bucket, viewers)
    select leaderboard_bucket(t.total), count(*) from viewer_totals t
    where t.total > 0 and not exists (select 1 from suppressions s where s.user_id::text = t.viewer)
    group by 1;
end $$;
--> statement-breakpoint
-- A truncate of suppressions or of the totals fires no row triggers: recount after it.
create or replace function leaderboard_recount() returns trigger language plpgsql as $$
begin
  perform leaderboard_recount_buckets();
  return null;
end $$;
--> statement-breakpoint
drop trigger if exists suppressions_leaderboard on suppressions;
--> statement-breakpoint
create trigger suppressions_leaderboard after insert or delete on suppressions for each row
  execute function leaderboard_suppression_changed();
--> statement-breakpoint
drop trigger if exists suppressions_leaderboard_truncate on suppressions;
--> statement-breakpoint
create trigger suppressions_leaderboard_truncate after truncate on suppressions for each statement
  execute function leaderboard_recount();
--> statement-breakpoint
drop trigger if exists viewer_totals_leaderboard_truncate on viewer_totals;
--> statement-breakpoint
create trigger viewer_totals_leaderboard_truncate after truncate on viewer_totals for each statement
  execute function leaderboard_recount();
--> statement-breakpoint
-- Backfill from the allocations of sealed epochs, joined legacy viewers counted for their user id.
insert into channel_viewer_totals (channel_id, viewer, total)
  select a.channel_id, coalesce(li.user_id::text, a.viewer), sum(a.amount)
  from allocations a join epochs e on e.epoch = a.epoch and e.status = 'sealed'
  left join legacy_identities li on li.user_id is not null
    and li.login_hash = case when a.viewer like 'legacy:%' then decode(substr(a.viewer, 8), 'hex') end
  group by 1, 2;
--> statement-breakpoint
insert into viewer_totals (viewer, total)
  select viewer, sum(total) from channel_viewer_totals group by viewer;
--> statement-breakpoint
select leaderboard_recount_buckets();
