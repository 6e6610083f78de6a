-- Who may do what (users for the dashboard, API tokens for programs) and what was done (audit).
-- Secrets are stored only as hashes: bcrypt for passwords, SHA-256 for the random API tokens.

create table users (
    id             bigserial   primary key,
    username       text        not null unique,
    password_hash  text        not null,
    role           text        not null check (role in ('viewer', 'operator', 'admin')),
    created_at     timestamptz not null default now(),
    created_by     text        not null
);

create table api_tokens (
    id            bigserial   primary key,
    name          text        not null,
    -- Hex SHA-256 of the token; the token itself is shown once, at creation, and never stored.
    token_hash    text        not null unique,
    role          text        not null check (role in ('viewer', 'operator', 'admin')),
    created_at    timestamptz not null default now(),
    created_by    text        not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- Every mutating action, accepted or not: REST calls, dashboard actions, logins, user and token
-- changes. Rows are only ever inserted.
create table audit_events (
    id          bigserial   primary key,
    at          timestamptz not null,
    actor_kind  text        not null check (actor_kind in ('user', 'token', 'anonymous', 'system')),
    actor       text        not null,
    action      text        not null,
    target      text,
    outcome     text        not null check (outcome in ('accepted', 'refused', 'failed')),
    status      integer,
    detail      text,
    request_id  text        not null,
    client      text
);
create index audit_events_at on audit_events (at desc, id desc);
