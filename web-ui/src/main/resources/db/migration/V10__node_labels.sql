-- Node labels (issue 16, placement rules): the operator's key/value labels on a node, which VMs'
-- node selectors (VM labels node.novacron.io/<key>=<value>) ask for. Control-plane data like the
-- cordon: the node's agent neither knows nor overwrites them. Text holding a JSON object, as
-- vms.labels.
alter table nodes add column labels text not null default '{}'
    check (jsonb_typeof(cast(labels as jsonb)) = 'object');
