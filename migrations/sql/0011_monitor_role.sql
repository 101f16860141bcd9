-- The postgres exporter's role: the built-in pg_monitor (statistics views, settings) and the
-- backup_runs table it publishes, nothing else. Without it the exporter would need the owner.
DO $$
BEGIN
  CREATE ROLE observatory_monitor NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT pg_monitor TO observatory_monitor;

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO observatory_monitor', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO observatory_monitor;
GRANT SELECT ON backup_runs TO observatory_monitor;
