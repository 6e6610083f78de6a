-- Inventory (what nodes announce, what VMs exist, what capacity is held) and run records
-- (the readable projection of Temporal's execution history).

create table nodes (
    name                      text primary key,
    hostname                  text,
    cpu_model                 text,
    cpus                      integer     not null default 0,
    memory_mib                bigint      not null default 0,
    libvirt_uri               text,
    libvirt_driver            text,
    domain_type               text,
    storage_total_gib         bigint      not null default 0,
    storage_free_gib          bigint      not null default 0,
    images                    text        not null default '',
    host_agent_version        text,
    host_announce_interval_s  integer     not null default 15,
    host_seen_at              timestamptz,
    gpu_source                text,
    gpu_driver_version        text,
    gpus                      text        not null default '[]',
    gpu_agent_version         text,
    gpu_announce_interval_s   integer     not null default 15,
    gpu_seen_at               timestamptz,
    first_seen_at             timestamptz not null default now()
);

create table vms (
    name        text primary key,
    uuid        text        not null,
    node        text        not null references nodes (name),
    state       text        not null,
    vcpus       integer     not null,
    memory_mib  bigint      not null,
    disk_gib    bigint      not null,
    image       text,
    disk_path   text,
    run_id      text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

-- Capacity held on a node: made by placement, bound to the VM once it exists, and kept for as
-- long as the VM exists. A VM name can hold one reservation at a time.
create table reservations (
    id          text primary key,
    vm_name     text        not null unique,
    node        text        not null references nodes (name),
    vcpus       integer     not null,
    memory_mib  bigint      not null,
    disk_gib    bigint      not null,
    bound       boolean     not null default false,
    created_at  timestamptz not null default now()
);

create table runs (
    id          text primary key,
    type        text        not null,
    subject     text,
    input       text,
    state       text        not null,
    phase       text        not null,
    detail      text,
    node        text,
    started_at  timestamptz not null,
    updated_at  timestamptz not null,
    ended_at    timestamptz
);
create index runs_started_at on runs (started_at desc);

create table run_events (
    id      bigserial primary key,
    run_id  text        not null references runs (id) on delete cascade,
    phase   text        not null,
    state   text        not null,
    detail  text,
    at      timestamptz not null,
    unique (run_id, phase, at)
);
