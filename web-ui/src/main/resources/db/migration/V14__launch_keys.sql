-- Keyed launches (Idempotency-Key) claimed in the database, so that two control-plane replicas
-- receiving one key at once start one run (issue 19). KeyedLaunches inserts the claim in the
-- transaction that checks the order and starts the run: a second insert of the same run id waits
-- for that transaction, then either finds the claim (a replay: same run, or 422 for another
-- request) or, when the first was refused and rolled back, claims it itself. The runs table could
-- not serve: a run records itself from its workflow, after the launch has answered.
create table launch_keys (
    run_id      text        primary key,  -- RunLauncher.runId(kind, subject, key)
    request     text        not null,     -- the order as JSON, compared on a replay
    created_at  timestamptz not null default now()
);
create index launch_keys_created_at on launch_keys (created_at);
