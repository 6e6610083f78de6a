-- The inventory follows libvirt (docs/architecture.md, "The inventory follows libvirt"): each host
-- announcement lists the node's domains, the control plane keeps the latest list per node and
-- reconciles the VM records with it.

-- The domains a node's host agent announced last, whoever made them. Replaced as a whole by each
-- announcement; other nodes' reconciliations read it to tell a VM that moved from one that is gone.
create table node_domains (
    node        text    not null references nodes (name) on delete cascade,
    uuid        text    not null,
    name        text    not null,
    state       text    not null,
    vcpus       integer not null,
    memory_mib  bigint  not null,
    primary key (node, uuid)
);
create index node_domains_uuid on node_domains (uuid);

-- When the agent read that list, by its clock; null while the node's agent announces no domains
-- (an agent older than the list): such a node is not reconciled, and says nothing about others.
alter table nodes add column domains_collected_at timestamptz;

-- novacron: made by a run; discovered: found running on a node, made outside NovaCron.
alter table vms add column origin text not null default 'novacron'
    check (origin in ('novacron', 'discovered'));
-- The last difference found between the record and libvirt, as a sentence, and when it was found.
alter table vms add column drift text;
alter table vms add column drift_at timestamptz;
