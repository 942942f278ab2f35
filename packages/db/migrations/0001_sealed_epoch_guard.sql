-- Sealed epochs are immutable: the database refuses any write to their participation, allocations or epochs row.
create or replace function reject_sealed_epoch_rows() returns trigger language plpgsql as $$
begin
  if exists (select 1 from changed c join epochs e on e.epoch = c.epoch where e.status = 'sealed') then
    raise exception 'sealed epoch: % on % rejected', tg_op, tg_table_name;
  end if;
  -- Only update triggers have the new rows; PL/pgSQL resolves a statement's tables when it first runs it.
  if tg_op = 'UPDATE' then
    if exists (select 1 from changed_to c join epochs e on e.epoch = c.epoch where e.status = 'sealed') then
      raise exception 'sealed epoch: % on % rejected', tg_op, tg_table_name;
    end if;
  end if;
  return null;
end $$;
--> statement-breakpoint
create or replace function reject_sealed_epoch_change() returns trigger language plpgsql as $$
begin
  raise exception 'sealed epoch: % of epoch % rejected', tg_op, old.epoch;
end $$;
--> statement-breakpoint
drop trigger if exists allocations_sealed_insert on allocations;
--> statement-breakpoint
create trigger allocations_sealed_insert after insert on allocations referencing new table as changed
      for each statement execute function reject_sealed_epoch_rows();
--> statement-breakpoint
drop trigger if exists allocations_sealed_update on allocations;
--> statement-breakpoint
create trigger allocations_sealed_update after update on allocations referencing old table as changed new table as changed_to
      for each statement execute function reject_sealed_epoch_rows();
--> statement-breakpoint
drop trigger if exists allocations_sealed_delete on allocations;
--> statement-breakpoint
create trigger allocations_sealed_delete after delete on allocations referencing old table as changed
      for each statement execute function reject_sealed_epoch_rows();
--> statement-breakpoint
drop trigger if exists participation_sealed_insert on participation;
--> statement-breakpoint
create trigger participation_sealed_insert after insert on participation referencing new table as changed
      for each statement execute function reject_sealed_epoch_rows();
--> statement-breakpoint
drop trigger if exists participation_sealed_update on participation;
--> statement-breakpoint
create trigger participation_sealed_update after update on participation referencing old table as changed new table as changed_to
      for each statement execute function reject_sealed_epoch_rows();
--> statement-breakpoint
drop trigger if exists participation_sealed_delete on participation;
--> statement-breakpoint
create trigger participation_sealed_delete after delete on participation referencing old table as changed
      for each statement execute function reject_sealed_epoch_rows();
--> statement-breakpoint
drop trigger if exists epochs_sealed_guard on epochs;
--> statement-breakpoint
create trigger epochs_sealed_guard before update or delete on epochs for each row when (old.status = 'sealed')
    execute function reject_sealed_epoch_change();
