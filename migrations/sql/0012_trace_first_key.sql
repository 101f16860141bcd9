-- Per-trace lookups (the trace list's first-root check and aggregates, the trace tree) go through
-- the primary key, trace first, then time: whatever the planner's statistics say (none yet for a
-- new project), no index on (project_id, start_time) can serve them better, and the time bounds
-- of the trace list narrow each lookup. Same columns, so the same spans conflict on a re-export.
-- Cost: the key's index is rebuilt on the uncompressed rows (seconds per million spans, under an
-- exclusive lock on spans); TimescaleDB's compressed chunks are not rewritten.
ALTER TABLE spans DROP CONSTRAINT spans_pkey, ADD PRIMARY KEY (trace_id, start_time, span_id, project_id);
