-- Image library (issue 15): the base images an operator registered, each with the SHA-256 every
-- node's copy must hash to, and where a node gets it when no other node holds it: a URL (on an
-- allowed host) or a file on one node. Which nodes hold an image is not stored here: node facts
-- say it (nodes.images).
create table images (
    name        text        primary key,
    format      text        not null check (format in ('qcow2', 'raw')),
    sha256      text        not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint      check (size_bytes > 0),
    url         text,
    node        text,
    path        text,
    created_at  timestamptz not null,
    check ((url is not null and node is null and path is null)
        or (url is null and node is not null and path is not null))
);
