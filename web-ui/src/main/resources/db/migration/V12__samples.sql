-- Series for the dashboard's charts (issue 18): Temporal keeps only a migration's latest heartbeat
-- and the nodes table only the latest announcement, so the control plane's samplers
-- (MigrationSampler, CapacitySampler) copy them here. Each key names the sample itself, not the
-- replica that read it: two control planes writing the same sample hit the key and
-- ON CONFLICT DO NOTHING keeps one. Rows older than novacron.samples.retention are deleted.

-- One heartbeat of a migration's transfer; elapsed_ms is the monitor's own clock, the same
-- whichever replica read the heartbeat.
create table migration_samples (
    run_id            text        not null references runs (id) on delete cascade,
    elapsed_ms        bigint      not null,
    at                timestamptz not null,
    bytes_processed   bigint      not null,
    bytes_remaining   bigint      not null,
    bytes_total       bigint      not null,
    bytes_per_second  bigint      not null,
    dirty_rate        bigint      not null, -- bytes per second the guest re-dirtied
    iteration         bigint      not null,
    stalled           boolean     not null,
    forced            boolean     not null,
    primary key (run_id, elapsed_ms)
);
-- The chart reads a run's series in time order; retention deletes by time.
create index migration_samples_run_at on migration_samples (run_id, at);
create index migration_samples_at on migration_samples (at);

-- A node's capacity at one sampling tick; at is the tick's start (a multiple of the interval), so
-- replicas sampling in the same tick write one row.
create table node_capacity_samples (
    node              text        not null,
    at                timestamptz not null,
    vcpus_used        bigint      not null, -- held by reservations (VMs, provisionings and migrations in flight)
    vcpus_total       bigint      not null,
    memory_used_mib   bigint      not null,
    memory_total_mib  bigint      not null,
    disk_used_gib     bigint      not null, -- of the storage pool, as the host agent announced it
    disk_total_gib    bigint      not null,
    vms               bigint      not null,
    primary key (node, at)
);
create index node_capacity_samples_at on node_capacity_samples (at);
