-- requires-extension: timescaledb
-- without-it: spans stay a plain table: no hypertable, compression or retention policy; use `npm run ops -- retention apply`
--
-- THE ONLY TIMESCALEDB-SPECIFIC SQL. The runner applies this file only when the timescaledb
-- extension is installed and preloaded; on plain PostgreSQL it records the migration as skipped
-- and logs which features that leaves out. Written against the TimescaleDB 2.x API (the stack
-- pins timescale/timescaledb:2.14.2-pg16).
CREATE EXTENSION IF NOT EXISTS timescaledb;

-- spans becomes a hypertable partitioned by start_time (its primary key already contains it).
SELECT create_hypertable('spans', 'start_time',
  chunk_time_interval => INTERVAL '1 day',
  migrate_data => true,
  if_not_exists => true);

-- Older chunks are compressed, segmented by project so per-project scans stay cheap.
ALTER TABLE spans SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'project_id',
  timescaledb.compress_orderby = 'start_time DESC'
);
SELECT add_compression_policy('spans', INTERVAL '7 days', if_not_exists => true);

-- The retention window is configuration (RETENTION_DAYS): the runner calls this on every `up`,
-- so changing the variable and re-running migrations moves the policy.
CREATE FUNCTION observatory_set_retention(days integer) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM remove_retention_policy('spans', if_exists => true);
  PERFORM add_retention_policy('spans', make_interval(days => days));
END
$$;
