-- Roles are cluster-wide, so creation tolerates another database (or a concurrent runner) having
-- made them first. They start NOLOGIN; the runner sets login passwords from the environment.
DO $$
BEGIN
  BEGIN
    CREATE ROLE observatory_app NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE observatory_readonly NOLOGIN;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
END
$$;

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO observatory_app, observatory_readonly', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO observatory_app, observatory_readonly;

-- The app reads and writes rows (DML only: no DDL, no TRUNCATE).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO observatory_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO observatory_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO observatory_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO observatory_app;

-- Grafana reads, and never sees key hashes.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO observatory_readonly;
REVOKE SELECT ON api_keys FROM observatory_readonly;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO observatory_readonly;
