-- The roles themselves are cluster-wide and may serve other databases: only this database's
-- grants are removed.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM observatory_readonly;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM observatory_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM observatory_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM observatory_app, observatory_readonly;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM observatory_app;
REVOKE USAGE ON SCHEMA public FROM observatory_app, observatory_readonly;
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM observatory_app, observatory_readonly', current_database());
END
$$;
