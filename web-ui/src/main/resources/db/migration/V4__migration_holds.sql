-- A migration holds its VM's size on the target from the precheck to its end, so two moves racing
-- to one node cannot both pass on the same free capacity (placement's reservations do the same for
-- provisioning). One row per run; the workflow deletes it in every outcome.
create table migration_holds (
    run_id      text primary key,
    vm_name     text        not null,
    node        text        not null references nodes (name),
    vcpus       integer     not null,
    memory_mib  bigint      not null,
    disk_gib    bigint      not null,
    created_at  timestamptz not null default now()
);

-- Everything that holds capacity on a node: placement's reservations and migrations in flight. A
-- hold left by a run that was terminated (no workflow code ran to release it) stops counting after
-- a day, the launcher's execution timeout, when no run of that age can still be alive. Its disk is
-- counted until the migration ends: the target's announced free storage may or may not show the
-- copy yet, and counting it twice for the length of a move errs on the safe side.
create view held_capacity as
    select node, vcpus, memory_mib, disk_gib, bound from reservations
    union all
    select node, vcpus, memory_mib, disk_gib, false from migration_holds
    where created_at > now() - interval '1 day';
