-- One row per completed backup, recorded by the stack's backup job once its dump is complete.
-- The postgres exporter publishes the newest as observatory_backup_last_success_timestamp_seconds
-- (infra/monitoring/postgres-exporter-queries.ts), which is how the BackupTooOld alert sees backups.
CREATE TABLE backup_runs (
  finished_at timestamptz NOT NULL DEFAULT now(),
  file        text NOT NULL,
  size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
  PRIMARY KEY (finished_at, file)
);
