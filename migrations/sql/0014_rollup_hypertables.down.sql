-- requires-extension: timescaledb
-- A hypertable cannot become a plain table in place: each rollup table is copied into a plain one
-- (compressed rows read back decompressed) that takes its name and key name; the hypertable goes
-- with its chunks and policies. Grants come back from 0006's default privileges.
CREATE TABLE span_rollups_1m_plain (LIKE span_rollups_1m INCLUDING ALL);
INSERT INTO span_rollups_1m_plain SELECT * FROM span_rollups_1m;
DROP TABLE span_rollups_1m;
ALTER TABLE span_rollups_1m_plain RENAME TO span_rollups_1m;
ALTER TABLE span_rollups_1m RENAME CONSTRAINT span_rollups_1m_plain_pkey TO span_rollups_1m_pkey;

CREATE TABLE span_rollups_1h_plain (LIKE span_rollups_1h INCLUDING ALL);
INSERT INTO span_rollups_1h_plain SELECT * FROM span_rollups_1h;
DROP TABLE span_rollups_1h;
ALTER TABLE span_rollups_1h_plain RENAME TO span_rollups_1h;
ALTER TABLE span_rollups_1h RENAME CONSTRAINT span_rollups_1h_plain_pkey TO span_rollups_1h_pkey;

DROP FUNCTION observatory_set_rollup_retention(integer);
-- 0013's observatory_set_retention, which does not need the function dropped after it.
CREATE OR REPLACE FUNCTION observatory_set_retention(days integer) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  job integer;
  wanted interval := make_interval(days => days);
BEGIN
  SELECT job_id INTO job FROM timescaledb_information.jobs
   WHERE proc_name = 'policy_retention' AND hypertable_schema = 'public' AND hypertable_name = 'spans';
  IF job IS NULL THEN
    PERFORM add_retention_policy('spans', wanted);
  ELSE
    PERFORM alter_job(job, config => jsonb_set(config, '{drop_after}', to_jsonb(wanted::text)))
      FROM timescaledb_information.jobs WHERE job_id = job AND (config->>'drop_after')::interval IS DISTINCT FROM wanted;
  END IF;
END
$$;
DROP FUNCTION observatory_keep_retention_policy(regclass, integer);
