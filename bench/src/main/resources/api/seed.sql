-- Seed for `novacron bench api`: :nodes nodes, :vms VMs spread over them, :runs runs of the usual
-- types and states with a few events each. Every row is marked with the prefix 'bench-' so that a
-- re-run (or a clean-up) finds its own rows; ON CONFLICT keeps the seed idempotent.
insert into nodes (name, hostname, cpus, memory_mib, libvirt_uri, host_seen_at)
select 'bench-node-' || lpad(i::text, 3, '0'), 'bench-host-' || i, 64, 262144, 'test:///default', now()
from generate_series(1, :nodes) i
on conflict (name) do nothing;

insert into vms (name, uuid, node, state, vcpus, memory_mib, disk_gib, image, run_id, labels)
select 'bench-vm-' || lpad(i::text, 5, '0'), md5('vm' || i)::uuid::text,
       'bench-node-' || lpad((1 + i % :nodes)::text, 3, '0'),
       (array['running', 'shutoff', 'running', 'paused'])[1 + i % 4], 1 + i % 8, 512 * (1 + i % 8), 10,
       'tiny', 'bench-run-' || lpad(i::text, 6, '0'),
       '{"bench":"api","tier":"' || (array['web', 'db', 'cache'])[1 + i % 3] || '"}'
from generate_series(1, :vms) i
on conflict (name) do nothing;

insert into runs (id, type, subject, input, state, phase, detail, node, started_at, updated_at, ended_at)
select 'bench-run-' || lpad(i::text, 6, '0'),
       (array['ProvisionVm', 'MigrateVm', 'StopVm', 'StartVm', 'DeleteVm'])[1 + i % 5],
       'bench-vm-' || lpad((1 + i % :vms)::text, 5, '0'),
       '{"name":"bench-vm-' || lpad((1 + i % :vms)::text, 5, '0') || '"}',
       (array['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED', 'CANCELLED'])[1 + i % 5], 'done',
       'seeded by novacron bench api', 'bench-node-' || lpad((1 + i % :nodes)::text, 3, '0'),
       now() - make_interval(secs => :runs - i), now() - make_interval(secs => :runs - i),
       now() - make_interval(secs => :runs - i)
from generate_series(1, :runs) i
on conflict (id) do nothing;

insert into run_events (run_id, phase, state, detail, at)
select r.id, p.phase, 'SUCCEEDED', null, r.started_at + make_interval(secs => p.n)
from runs r cross join (values (1, 'check'), (2, 'done')) as p(n, phase)
where r.id like 'bench-run-%'
on conflict do nothing;

analyze nodes;
analyze vms;
analyze runs;
analyze run_events;
