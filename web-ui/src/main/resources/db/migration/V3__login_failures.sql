-- The dashboard's sign-in rate limit (LoginThrottle): failed sign-ins per username and per client
-- address, kept here so that a restart of the control plane does not clear a lockout.
create table login_failures (
    key           text        primary key,   -- 'user:<name>' or 'address:<ip>'
    first_at      timestamptz not null,      -- start of the counting window (or of the lockout)
    failures      int         not null,
    locked_until  timestamptz
);
create index login_failures_first_at on login_failures (first_at);
