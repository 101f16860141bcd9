import { backupTimestampMetric } from "./exporter-metrics.js";

/** API routes that are not user traffic: scrapes and health checks would dilute ratios and latency. */
const userRoutes = 'route!~"/metrics|/health.*"';

/** Recording rules the dashboards and alerts read, by the name they are recorded under. */
export const recordingRules = {
  "observatory:collector_spans_received:rate5m": "sum(rate(observatory_collector_spans_received_total[5m]))",
  "observatory:collector_spans_accepted:rate5m": "sum(rate(observatory_collector_spans_accepted_total[5m]))",
  "observatory:collector_spans_rejected:rate5m": "sum by (reason) (rate(observatory_collector_spans_rejected_total[5m]))",
  "observatory:collector_backpressure:rate5m": "sum by (protocol) (rate(observatory_collector_backpressure_total[5m]))",
  "instance:observatory_collector_queue:utilization": "observatory_collector_queue_spans / (observatory_collector_queue_capacity_spans > 0)",
  "observatory:collector_batch_write_duration_seconds:p99_5m":
    "histogram_quantile(0.99, sum by (le) (rate(observatory_collector_batch_write_duration_seconds_bucket[5m])))",
  // Spans are priced where they are ingested: by the collector (OTLP) and by the API (native JSON).
  "observatory:ingested_cost_usd:increase1h":
    "sum by (provider, model) (increase(observatory_collector_cost_usd_total[1h]) or increase(observatory_api_ingested_cost_usd_total[1h]))",
  "observatory:api_requests:rate5m": `sum by (status_code) (rate(observatory_api_requests_total{${userRoutes}}[5m]))`,
  // Until a first 5xx exists its series does too: `or vector(0)` keeps the ratio defined.
  "observatory:api_requests_5xx:ratio_rate5m":
    `(sum(rate(observatory_api_requests_total{${userRoutes},status_code=~"5.."}[5m])) or vector(0)) / sum(rate(observatory_api_requests_total{${userRoutes}}[5m]))`,
  "observatory:api_request_duration_seconds:p50_5m":
    `histogram_quantile(0.5, sum by (le) (rate(observatory_api_request_duration_seconds_bucket{${userRoutes}}[5m])))`,
  "observatory:api_request_duration_seconds:p99_5m":
    `histogram_quantile(0.99, sum by (le) (rate(observatory_api_request_duration_seconds_bucket{${userRoutes}}[5m])))`,
  "observatory:pg_connections:ratio": "sum(pg_stat_activity_count) / max(pg_settings_max_connections)",
  "observatory:redis_memory:ratio": "redis_memory_used_bytes / (redis_memory_max_bytes > 0)",
  // "Never" (0) has no age: the panel stays empty instead of showing decades.
  "observatory:backup_age_seconds": `time() - (${backupTimestampMetric} > 0)`,
} as const;

export type RecordedSeries = keyof typeof recordingRules;

export const recordingGroup = () => ({
  name: "observatory-recording",
  rules: Object.entries(recordingRules).map(([record, expr]) => ({ record, expr })),
});
