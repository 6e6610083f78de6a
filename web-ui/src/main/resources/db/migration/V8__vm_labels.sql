-- Labels (issue 15, "rename-free metadata"): free key/value pairs on a VM, Kubernetes-like
-- (LabelRules says what a key and a value may be). Control-plane data only: no node knows them.
-- One JSON object per VM, stored as text like the table's other JSON columns (nics, addresses):
-- spring-data-jdbc reads those into the raw JSON strings VmRow serves, and has no reader for a
-- jsonb value. The check keeps it a JSON object; queries cast it, and the expression index serves
-- the list's label filter (cast(labels as jsonb) @> '{"k":"v"}').
alter table vms add column labels text not null default '{}'
    check (jsonb_typeof(cast(labels as jsonb)) = 'object');
create index vms_labels on vms using gin ((cast(labels as jsonb)) jsonb_path_ops);
