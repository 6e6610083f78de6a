-- Fleet operations (issue 16).
-- A cordoned node takes no new VMs (placement and migration targets skip it); its own VMs keep
-- running. cordon says why (an operator's words, or the drain run that cordoned it); null while
-- the node is not cordoned. Control-plane data: the node's agent neither knows nor overwrites it.
alter table nodes add column cordon text;
alter table nodes add column cordoned_at timestamptz;

-- Items of a parent run (a drain's or a rebalance's VMs): one row per item, updated in place as
-- the item goes from planned to moving to moved (or stayed); child_run is the MigrateVm run that
-- moves it. The row is the readable projection of the parent workflow's state, written through a
-- local activity; version counts the run's changes up, so a retried write changes nothing and an
-- older write never overwrites a newer one (workflow time, at, stands still within a workflow task).
create table run_items (
    run_id     text        not null references runs (id) on delete cascade,
    item       text        not null,
    seq        integer     not null,
    state      text        not null,
    target     text,
    child_run  text,
    detail     text,
    version    bigint      not null,
    at         timestamptz not null,
    primary key (run_id, item)
);
