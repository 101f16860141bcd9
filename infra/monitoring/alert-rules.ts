import type { StackConfig } from "../config.js";
import { topology } from "../topology.js";
import { backupTimestampMetric, failingJobsMetric } from "./exporter-metrics.js";

/** What the thresholds come from: the stack's monitoring settings and its backup schedule. */
export type AlertOptions = Pick<StackConfig, "monitoring" | "backup">;

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string; runbook_url: string };
}

const seconds = (duration: string) => Number(duration.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[duration.slice(-1) as "s" | "m" | "h"];

type Draft = Omit<AlertRule, "annotations"> & { summary: string; description: string };

/** Every alert of the stack; each links to its section of docs/runbooks.md (a heading named like the alert). */
export function alertRules({ monitoring, backup }: AlertOptions): AlertRule[] {
  const collectorJob = topology.collector.alias;
  const window = monitoring.noSpansWindow;
  const backupLimitSeconds = backup.intervalHours * 3600 * 1.25;
  const drafts: Draft[] = [
    {
      alert: "TargetDown", expr: "up == 0", for: "2m", labels: { severity: "critical" },
      summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
      description: "Prometheus has not been able to scrape {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes.",
    },
    {
      alert: "PostgresDown", expr: "pg_up == 0", for: "1m", labels: { severity: "critical" },
      summary: "PostgreSQL is not answering the exporter",
      description: "The postgres exporter cannot query the database: the collector cannot store spans and the API cannot answer.",
    },
    {
      alert: "PostgresConnectionsNearLimit", expr: "observatory:pg_connections:ratio > 0.8", for: "5m", labels: { severity: "warning" },
      summary: "PostgreSQL connections at {{ $value | humanizePercentage }} of max_connections",
      description: "New connections are refused once max_connections is reached; collector writes and API queries would fail.",
    },
    {
      alert: "PostgresLongRunningTransaction",
      expr: 'max by (datname, state) (pg_stat_activity_max_tx_duration{state=~"active|idle in transaction"}) > 600',
      for: "2m", labels: { severity: "warning" },
      summary: "A transaction in {{ $labels.datname }} has been {{ $labels.state }} for {{ $value | humanizeDuration }}",
      description: "A slow query or an abandoned transaction holds locks and keeps autovacuum from cleaning up.",
    },
    {
      alert: "RedisDown", expr: "redis_up == 0", for: "1m", labels: { severity: "warning" },
      summary: "Redis is not answering the exporter",
      description: "The API serves without its response cache and shared rate limits while Redis is down.",
    },
    {
      alert: "RedisMemoryNearLimit", expr: "observatory:redis_memory:ratio > 0.9", for: "10m", labels: { severity: "warning" },
      summary: "Redis uses {{ $value | humanizePercentage }} of maxmemory",
      description: "Redis evicts cached responses (or refuses writes under noeviction) when maxmemory is reached.",
    },
    {
      alert: "CollectorRejectingSpans",
      expr: "sum(observatory:collector_spans_rejected:rate5m) / observatory:collector_spans_received:rate5m > 0.05",
      for: "10m", labels: { severity: "warning" },
      summary: "The collector rejects {{ $value | humanizePercentage }} of received spans",
      description: "Spans are refused as invalid or failed to be written; the senders lose them unless they retry.",
    },
    {
      alert: "CollectorBackpressure", expr: "sum(observatory:collector_backpressure:rate5m) > 0", for: "5m", labels: { severity: "warning" },
      summary: "The collector is refusing exports with backpressure",
      description: "The collector answers exports with 429/503 (UNAVAILABLE on gRPC): its queue is full or the database is slow.",
    },
    {
      alert: "CollectorDatabaseWriteErrors", expr: "sum(increase(observatory_collector_db_errors_total[5m])) > 0", for: "2m", labels: { severity: "critical" },
      summary: "The collector failed to write batches of spans in the last 5 minutes",
      description: "Batches of spans could not be written to the database; their exports were answered with an error.",
    },
    {
      alert: "CollectorQueueSaturated", expr: "instance:observatory_collector_queue:utilization > 0.8", for: "5m", labels: { severity: "warning" },
      summary: "The queue of {{ $labels.instance }} is {{ $value | humanizePercentage }} full",
      description: "Writes are not keeping up with ingest; backpressure starts when the queue is full.",
    },
    {
      alert: "ApiHighErrorRate", expr: "observatory:api_requests_5xx:ratio_rate5m > 0.05", for: "5m", labels: { severity: "critical" },
      summary: "{{ $value | humanizePercentage }} of API requests fail with 5xx",
      description: "The query API answers more than 5% of requests with a server error.",
    },
    {
      alert: "ApiHighLatency", expr: "observatory:api_request_duration_seconds:p99_5m > 2", for: "10m", labels: { severity: "warning" },
      summary: "API p99 latency is {{ $value | humanizeDuration }}",
      description: "The slowest 1% of API requests take longer than 2 seconds.",
    },
    {
      alert: "NoSpansReceived",
      // Only once every collector has run for the whole window: a fresh start is not silence.
      expr: `sum(increase(observatory_collector_spans_accepted_total[${window}])) == 0 and on() min(time() - process_start_time_seconds{job="${collectorJob}"}) > ${seconds(window)}`,
      for: "1m", labels: { severity: "warning" },
      summary: `No span was stored for ${window}`,
      description: `The collector committed no span in the last ${window} (llm-observatory:monitoring.noSpansWindow): the applications stopped exporting or cannot reach it.`,
    },
    {
      alert: "CostBurnAboveBudget", expr: `sum(observatory:ingested_cost_usd:increase1h) > ${monitoring.hourlyCostBudgetUsd}`, for: "5m", labels: { severity: "warning" },
      summary: "LLM spend was {{ $value | printf \"%.2f\" }} USD in the last hour",
      description: `The cost of the spans stored in the last hour exceeds the budget of ${monitoring.hourlyCostBudgetUsd} USD (llm-observatory:monitoring.hourlyCostBudgetUsd).`,
    },
    {
      // A job retries on its schedule; one whose last run still failed after an hour needs a person.
      alert: "TimescaleDbPolicyJobFailing", expr: `${failingJobsMetric} > 0`, for: "1h", labels: { severity: "warning" },
      summary: "{{ $value }} TimescaleDB job(s) failed on their last run",
      description: "A compression or retention policy (or TimescaleDB's own job) keeps failing: disk grows, or data outlives its retention window.",
    },
    ...(backup.enabled
      ? [{
          alert: "BackupTooOld", expr: `time() - ${backupTimestampMetric} > ${backupLimitSeconds}`, for: "15m", labels: { severity: "critical" as const },
          summary: "The last backup finished {{ $value | humanizeDuration }} ago",
          description: `No backup completed within the backup interval (${backup.intervalHours}h) and a quarter; a restore would lose more data than planned.`,
        }]
      : []),
  ];
  return drafts.map(({ summary, description, ...rule }) => ({
    ...rule,
    annotations: { summary, description, runbook_url: `${monitoring.runbookUrl}#${rule.alert.toLowerCase()}` },
  }));
}
