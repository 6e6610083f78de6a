-- Networks (issue 15): the libvirt networks each node announces (comma-separated, like images),
-- each VM's NICs as NovaCron assigned them (a JSON array of {"network","mac"}), and the guest's IP
-- addresses as its node last found them (a JSON array of {"mac","ip","source"}).
alter table nodes add column networks text;
alter table vms add column nics text;
alter table vms add column addresses text;
