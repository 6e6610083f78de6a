-- Run lists (issue 18): GET /api/v1/runs, /migrations and /deployments page newest first, filtered
-- by type and/or subject. These indexes serve each filter in its order (started_at desc, id), so a
-- page is an index range scan however long the table grows; runs_started_at (V1) serves the
-- unfiltered list. State alone is too coarse to be worth one.
create index runs_type_started_at on runs (type, started_at desc, id);
create index runs_subject_started_at on runs (subject, started_at desc, id);
