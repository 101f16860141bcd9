-- requires-extension: timescaledb
-- without-it: rollups stay plain tables: `npm run ops -- retention apply` deletes those older than ROLLUP_RETENTION_DAYS
--
-- The rollup tables grew forever. They become hypertables on their bucket (in both primary keys),
-- compressed after 30 days and dropped after their own window (ROLLUP_RETENTION_DAYS, far longer
-- than raw spans': dashboards keep their history after the spans are gone). Rows in hand move
-- into chunks (migrate_data); the primary key serves every rollup query, so no default index.
SELECT create_hypertable('span_rollups_1m', 'bucket',
  chunk_time_interval => INTERVAL '7 days', migrate_data => true, create_default_indexes => false);
SELECT create_hypertable('span_rollups_1h', 'bucket',
  chunk_time_interval => INTERVAL '30 days', migrate_data => true, create_default_indexes => false);

-- Segmented by the whole key but the bucket: one series (a project's service, environment, provider
-- and model) per segment, its buckets in order. Queries read a project's series over a time range;
-- a late span's upsert into a compressed chunk decompresses the one batch of its series.
ALTER TABLE span_rollups_1m SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'project_id, service_name, environment, provider, model',
  timescaledb.compress_orderby = 'bucket DESC'
);
ALTER TABLE span_rollups_1h SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'project_id, service_name, environment, provider, model',
  timescaledb.compress_orderby = 'bucket DESC'
);
SELECT add_compression_policy('span_rollups_1m', INTERVAL '30 days');
SELECT add_compression_policy('span_rollups_1h', INTERVAL '30 days');

-- 0013's keep-the-job-id logic, for any hypertable: the spans' window and the rollups' both use it.
CREATE FUNCTION observatory_keep_retention_policy(hypertable regclass, days integer) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  job integer;
  wanted interval := make_interval(days => days);
BEGIN
  SELECT job_id INTO job FROM timescaledb_information.jobs
   WHERE proc_name = 'policy_retention' AND format('%I.%I', hypertable_schema, hypertable_name)::regclass = hypertable;
  IF job IS NULL THEN
    PERFORM add_retention_policy(hypertable, wanted);
  ELSE
    PERFORM alter_job(job, config => jsonb_set(config, '{drop_after}', to_jsonb(wanted::text)))
      FROM timescaledb_information.jobs WHERE job_id = job AND (config->>'drop_after')::interval IS DISTINCT FROM wanted;
  END IF;
END
$$;

CREATE OR REPLACE FUNCTION observatory_set_retention(days integer) RETURNS void
  LANGUAGE sql AS $$ SELECT observatory_keep_retention_policy('spans', days) $$;

-- The runner calls this on every `up` with ROLLUP_RETENTION_DAYS.
CREATE FUNCTION observatory_set_rollup_retention(days integer) RETURNS void
  LANGUAGE sql AS $$
  SELECT observatory_keep_retention_policy('span_rollups_1m', days);
  SELECT observatory_keep_retention_policy('span_rollups_1h', days);
$$;
