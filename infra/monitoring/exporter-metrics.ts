import { postgresExporterQueries } from "./postgres-exporter-queries.js";

/** Made by our own query file: `<query>_<column>`. */
export const customQueryMetrics = Object.entries(postgresExporterQueries).flatMap(([query, { metrics }]) =>
  metrics.flatMap((m) => Object.keys(m).map((column) => `${query}_${column}`)),
);

/**
 * The metrics of third-party exporters that rules and dashboards may name (our services' names
 * come from their own registries). tests/monitoring holds each against the names the pinned
 * exporter's source exports at its tag (tests/monitoring/fixtures), and the live test scrapes
 * Debian's exporters for them.
 */
export const exporterMetrics = {
  /** Written by Prometheus itself for every target. */
  prometheus: ["up"],
  postgresExporter: [
    "pg_up",
    "pg_stat_activity_count",
    "pg_stat_activity_max_tx_duration",
    "pg_settings_max_connections",
    "pg_database_size_bytes",
    ...customQueryMetrics,
  ],
  redisExporter: [
    "redis_up",
    "redis_memory_used_bytes",
    "redis_memory_max_bytes",
    "redis_connected_clients",
    "redis_evicted_keys_total",
    "redis_keyspace_hits_total",
    "redis_keyspace_misses_total",
    "redis_commands_processed_total",
  ],
} as const;

/** The custom queries' metrics, named once for the rules that use them (in postgresExporterQueries' order). */
export const backupTimestampMetric = customQueryMetrics[0]!;
export const failingJobsMetric = customQueryMetrics[1]!;
