-- What the postgres exporter publishes of TimescaleDB's jobs (policies and its own): how many failed
-- on their last run, for the TimescaleDbPolicyJobFailing alert. Its role (observatory_monitor,
-- pg_monitor) reads no job catalog, and a plain PostgreSQL database has none: the function runs
-- as the owner and answers 0 there, so the one query serves both.
CREATE FUNCTION observatory_failing_jobs() RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  failing bigint := 0;
BEGIN
  IF to_regclass('timescaledb_information.job_stats') IS NOT NULL THEN
    EXECUTE $q$SELECT count(*) FROM timescaledb_information.job_stats WHERE last_run_status = 'Failed'$q$ INTO failing;
  END IF;
  RETURN failing;
END
$$;
REVOKE ALL ON FUNCTION observatory_failing_jobs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION observatory_failing_jobs() TO observatory_monitor;
