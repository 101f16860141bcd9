ALTER TABLE spans DROP CONSTRAINT spans_pkey, ADD PRIMARY KEY (project_id, trace_id, span_id, start_time);
