import { dashboard, type PanelSpec } from "./panels.js";

const series = (title: string, description: string, unit: string, ...queries: [expr: string, legend: string][]): PanelSpec => ({
  title, description, type: "timeseries", unit, queries: queries.map(([expr, legend]) => ({ expr, legend })),
});

/** Ingest, API and backing services at a glance; every query is PromQL (recording rules where they exist). */
export function stackHealthDashboard(): object {
  const specs: PanelSpec[] = [
    { title: "Targets up", description: "1 for every target Prometheus scrapes successfully.", type: "stat", width: 24, queries: [{ expr: "up", legend: "{{job}} {{instance}}" }] },
    series("Ingest rate", "Spans decoded and spans committed per second, all collectors.", "ops",
      ["observatory:collector_spans_received:rate5m", "received"], ["observatory:collector_spans_accepted:rate5m", "committed"]),
    series("Rejections and backpressure", "Spans refused per second by reason, and exports refused with backpressure per second.", "ops",
      ["observatory:collector_spans_rejected:rate5m", "rejected: {{reason}}"], ["observatory:collector_backpressure:rate5m", "backpressure: {{protocol}}"]),
    series("Queue depth", "Spans queued or being written per collector, against its capacity.", "short",
      ["observatory_collector_queue_spans", "{{instance}} queued"], ["observatory_collector_queue_capacity_spans", "{{instance}} capacity"]),
    series("Database writes", "p99 duration of a batch write, and failed batch writes in 5 minutes.", "s",
      ["observatory:collector_batch_write_duration_seconds:p99_5m", "write p99"], ["sum(increase(observatory_collector_db_errors_total[5m]))", "failed writes (5m)"]),
    series("API requests", "Requests per second by status code (scrapes and health checks excluded).", "reqps",
      ["observatory:api_requests:rate5m", "{{status_code}}"]),
    { ...series("API 5xx ratio", "Share of requests answered with a server error; ApiHighErrorRate fires above the line.", "percentunit",
      ["observatory:api_requests_5xx:ratio_rate5m", "5xx"]), threshold: 0.05 },
    series("API latency", "Request duration percentiles.", "s",
      ["observatory:api_request_duration_seconds:p50_5m", "p50"], ["observatory:api_request_duration_seconds:p99_5m", "p99"]),
    series("API cache", "Response cache hits and misses per second, and requests refused by the rate limit.", "ops",
      ["sum(rate(observatory_api_cache_hits_total[5m]))", "hits"], ["sum(rate(observatory_api_cache_misses_total[5m]))", "misses"],
      ["sum(rate(observatory_api_rate_limited_total[5m]))", "rate limited"]),
    { title: "PostgreSQL up", description: "1 while the exporter can query the database.", type: "stat", width: 6, threshold: 1, queries: [{ expr: "pg_up", legend: "postgres" }] },
    { title: "Redis up", description: "1 while the exporter can reach Redis.", type: "stat", width: 6, threshold: 1, queries: [{ expr: "redis_up", legend: "redis" }] },
    { title: "Last backup age", description: "Time since the last backup finished (empty: no backup yet, or backups disabled).", type: "stat", width: 12, unit: "s", queries: [{ expr: "observatory:backup_age_seconds", legend: "age" }] },
    series("PostgreSQL connections", "Connections by state against max_connections.", "short",
      ["sum by (state) (pg_stat_activity_count)", "{{state}}"], ["max(pg_settings_max_connections)", "max_connections"]),
    series("Longest transaction", "Age of the oldest open transaction by state.", "s",
      ['max by (state) (pg_stat_activity_max_tx_duration{state=~"active|idle in transaction"})', "{{state}}"]),
    series("Database size", "Size of each database on the server.", "bytes", ["pg_database_size_bytes", "{{datname}}"]),
    series("Redis memory", "Memory used against maxmemory.", "bytes", ["redis_memory_used_bytes", "used"], ["redis_memory_max_bytes", "maxmemory"]),
    series("Redis activity", "Commands, evictions and connected clients.", "short",
      ["rate(redis_commands_processed_total[5m])", "commands/s"], ["rate(redis_evicted_keys_total[5m])", "evictions/s"],
      ["redis_connected_clients", "clients"]),
    series("Redis hit ratio", "Share of key lookups that found their key.", "percentunit",
      ["rate(redis_keyspace_hits_total[5m]) / (rate(redis_keyspace_hits_total[5m]) + rate(redis_keyspace_misses_total[5m]))", "hit ratio"]),
  ];
  return dashboard("observatory-stack-health", "Stack health", specs);
}
