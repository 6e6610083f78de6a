-- Audit filters (issue 18): GET /api/v1/audit?actor= pages one actor's entries newest first. This
-- index serves that filter in the list's order (at desc, id desc), so a page of a rare actor is an
-- index range scan; audit_events_at (V2) serves the unfiltered list, the since/until range and the
-- common filters. Action (a prefix), outcome (three values) and target (a substring) get none.
create index audit_events_actor_at on audit_events (actor, at desc, id desc);
