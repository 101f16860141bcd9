-- The role is cluster-wide and may serve other databases: only this database's grants go.
REVOKE SELECT ON backup_runs FROM observatory_monitor;
REVOKE USAGE ON SCHEMA public FROM observatory_monitor;
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM observatory_monitor', current_database());
END
$$;
