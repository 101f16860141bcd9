DROP FUNCTION observatory_failing_jobs();
