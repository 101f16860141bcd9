-- requires-extension: timescaledb
-- without-it: nothing to keep: plain PostgreSQL has no policy jobs
--
-- Every `up` removed and re-added the retention policy, a new job id each time (and its run
-- history lost). Now an existing job keeps its id: only its drop_after changes, when it differs.
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
