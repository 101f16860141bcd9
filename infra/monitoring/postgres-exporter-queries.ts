import { stringify } from "yaml";

/** Where the postgres exporter reads its extra queries (PG_EXPORTER_EXTEND_QUERY_PATH). */
export const postgresExporterQueriesPath = "/etc/postgres-exporter/queries.yaml";

/**
 * Queries the exporter runs on each scrape besides its built-in ones; it names each metric
 * `<query>_<column>`. The backup job records every finished dump in backup_runs (migration 0009),
 * so this is how Prometheus learns when the last backup succeeded (0 when there never was one).
 */
export const postgresExporterQueries = {
  observatory_backup: {
    query: "SELECT coalesce(extract(epoch FROM max(finished_at)), 0)::float8 AS last_success_timestamp_seconds FROM backup_runs",
    metrics: [{ last_success_timestamp_seconds: { usage: "GAUGE", description: "Unix time the last complete backup finished (0: none yet)" } }],
  },
  // Migration 0015's function: 0 on plain PostgreSQL, which has no jobs.
  observatory_timescaledb_jobs: {
    query: "SELECT observatory_failing_jobs()::float8 AS failing FROM (SELECT 1) one",
    metrics: [{ failing: { usage: "GAUGE", description: "TimescaleDB jobs (compression, retention, its own) whose last run failed" } }],
  },
};

export const postgresExporterQueriesFile = (): string => stringify(postgresExporterQueries);
