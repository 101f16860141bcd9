/**
 * promtool unit-test inputs for every alert of the prod stack (noSpansWindow 30m, budget 50 USD,
 * backups every 6h): one case where it fires with the given labels and summary, one where it
 * stays silent. Series use promtool's expanding notation; time starts at 0 with 1m steps.
 */
export interface AlertCase {
  evalTime: string;
  fire: { series: Record<string, string>; labels: Record<string, string>; summary: string };
  silent: Record<string, string>;
}

const pg = 'instance="postgres-exporter:9187",job="postgres-exporter"';
const redis = 'instance="redis-exporter:9121",job="redis-exporter"';
const collector = 'instance="collector-1:4318",job="collector"';
const api = 'instance="api-1:8080",job="api"';
const apiRequests = (route: string, status: string) => `observatory_api_requests_total{${api},route="${route}",method="GET",status_code="${status}"}`;
const apiBucket = (le: string) => `observatory_api_request_duration_seconds_bucket{${api},route="/api/v1/traces",method="GET",le="${le}"}`;
const labelsOf = (selector: string) => Object.fromEntries([...selector.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

export const alertCases: Record<string, AlertCase> = {
  TargetDown: {
    evalTime: "10m",
    fire: { series: { [`up{${api}}`]: "0x15" }, labels: { severity: "critical", ...labelsOf(api) }, summary: "api target api-1:8080 is down" },
    silent: { [`up{${api}}`]: "1x15" },
  },
  PostgresDown: {
    evalTime: "10m",
    fire: { series: { [`pg_up{${pg}}`]: "0x15" }, labels: { severity: "critical", ...labelsOf(pg) }, summary: "PostgreSQL is not answering the exporter" },
    silent: { [`pg_up{${pg}}`]: "1x15" },
  },
  PostgresConnectionsNearLimit: {
    evalTime: "10m",
    fire: {
      series: { [`pg_stat_activity_count{${pg},datname="observatory",state="active"}`]: "90x15", [`pg_settings_max_connections{${pg}}`]: "100x15" },
      labels: { severity: "warning" },
      summary: "PostgreSQL connections at 90% of max_connections",
    },
    silent: { [`pg_stat_activity_count{${pg},datname="observatory",state="active"}`]: "50x15", [`pg_settings_max_connections{${pg}}`]: "100x15" },
  },
  PostgresLongRunningTransaction: {
    evalTime: "10m",
    fire: {
      series: { [`pg_stat_activity_max_tx_duration{${pg},datname="observatory",state="active"}`]: "900x15" },
      labels: { severity: "warning", datname: "observatory", state: "active" },
      summary: "A transaction in observatory has been active for 15m 0s",
    },
    // Idle connections are not transactions, however old.
    silent: { [`pg_stat_activity_max_tx_duration{${pg},datname="observatory",state="active"}`]: "30x15", [`pg_stat_activity_max_tx_duration{${pg},datname="observatory",state="idle"}`]: "5000x15" },
  },
  RedisDown: {
    evalTime: "10m",
    fire: { series: { [`redis_up{${redis}}`]: "0x15" }, labels: { severity: "warning", ...labelsOf(redis) }, summary: "Redis is not answering the exporter" },
    silent: { [`redis_up{${redis}}`]: "1x15" },
  },
  RedisMemoryNearLimit: {
    evalTime: "15m",
    fire: {
      series: { [`redis_memory_used_bytes{${redis}}`]: "950x20", [`redis_memory_max_bytes{${redis}}`]: "1000x20" },
      labels: { severity: "warning", ...labelsOf(redis) },
      summary: "Redis uses 95% of maxmemory",
    },
    // No maxmemory (0) means no limit to be near.
    silent: { [`redis_memory_used_bytes{${redis}}`]: "950x20", [`redis_memory_max_bytes{${redis}}`]: "0x20" },
  },
  CollectorRejectingSpans: {
    evalTime: "15m",
    fire: {
      series: { [`observatory_collector_spans_received_total{${collector},protocol="http"}`]: "0+100x20", [`observatory_collector_spans_rejected_total{${collector},reason="invalid"}`]: "0+10x20" },
      labels: { severity: "warning" },
      summary: "The collector rejects 10% of received spans",
    },
    silent: { [`observatory_collector_spans_received_total{${collector},protocol="http"}`]: "0+100x20", [`observatory_collector_spans_rejected_total{${collector},reason="invalid"}`]: "0+1x20" },
  },
  CollectorBackpressure: {
    evalTime: "10m",
    fire: { series: { [`observatory_collector_backpressure_total{${collector},protocol="grpc"}`]: "0+5x15" }, labels: { severity: "warning" }, summary: "The collector is refusing exports with backpressure" },
    silent: { [`observatory_collector_backpressure_total{${collector},protocol="grpc"}`]: "0x15" },
  },
  CollectorDatabaseWriteErrors: {
    evalTime: "6m",
    fire: { series: { [`observatory_collector_db_errors_total{${collector}}`]: "0 0 0 1 1 1 1 1 1 1" }, labels: { severity: "critical" }, summary: "The collector failed to write batches of spans in the last 5 minutes" },
    silent: { [`observatory_collector_db_errors_total{${collector}}`]: "0x10" },
  },
  CollectorQueueSaturated: {
    evalTime: "10m",
    fire: {
      series: { [`observatory_collector_queue_spans{${collector}}`]: "900x15", [`observatory_collector_queue_capacity_spans{${collector}}`]: "1000x15" },
      labels: { severity: "warning", ...labelsOf(collector) },
      summary: "The queue of collector-1:4318 is 90% full",
    },
    silent: { [`observatory_collector_queue_spans{${collector}}`]: "100x15", [`observatory_collector_queue_capacity_spans{${collector}}`]: "1000x15" },
  },
  ApiHighErrorRate: {
    evalTime: "10m",
    fire: {
      series: { [apiRequests("/api/v1/traces", "500")]: "0+10x15", [apiRequests("/api/v1/traces", "200")]: "0+90x15", [apiRequests("/metrics", "200")]: "0+1000x15" },
      labels: { severity: "critical" },
      summary: "10% of API requests fail with 5xx",
    },
    silent: { [apiRequests("/api/v1/traces", "500")]: "0+1x15", [apiRequests("/api/v1/traces", "200")]: "0+99x15", [apiRequests("/metrics", "200")]: "0+1000x15" },
  },
  ApiHighLatency: {
    evalTime: "15m",
    fire: {
      // Every request took between 1 and 2.5 seconds.
      series: { [apiBucket("1")]: "0x20", [apiBucket("2.5")]: "0+10x20", [apiBucket("+Inf")]: "0+10x20" },
      labels: { severity: "warning" },
      summary: "API p99 latency is 2.485s",
    },
    silent: { [apiBucket("1")]: "0+10x20", [apiBucket("2.5")]: "0+10x20", [apiBucket("+Inf")]: "0+10x20" },
  },
  NoSpansReceived: {
    evalTime: "45m",
    fire: {
      series: { [`observatory_collector_spans_accepted_total{${collector}}`]: "5x60", [`process_start_time_seconds{${collector}}`]: "0x60" },
      labels: { severity: "warning" },
      summary: "No span was stored for 30m",
    },
    silent: { [`observatory_collector_spans_accepted_total{${collector}}`]: "0+1x60", [`process_start_time_seconds{${collector}}`]: "0x60" },
  },
  CostBurnAboveBudget: {
    evalTime: "80m",
    fire: {
      // Half through OTLP, half through the API's native ingest: the budget covers both.
      series: {
        [`observatory_collector_cost_usd_total{${collector},provider="openai",model="gpt-4o"}`]: "0+0.5x90",
        [`observatory_api_ingested_cost_usd_total{${api},provider="openai",model="gpt-4o"}`]: "0+0.5x90",
      },
      labels: { severity: "warning" },
      summary: "LLM spend was 60.00 USD in the last hour",
    },
    silent: { [`observatory_collector_cost_usd_total{${collector},provider="openai",model="gpt-4o"}`]: "0+0.5x90" },
  },
  TimescaleDbPolicyJobFailing: {
    evalTime: "70m",
    fire: {
      series: { [`observatory_timescaledb_jobs_failing{${pg}}`]: "1x90" },
      labels: { severity: "warning", ...labelsOf(pg) },
      summary: "1 TimescaleDB job(s) failed on their last run",
    },
    // A run failed, the retry succeeded within the hour.
    silent: { [`observatory_timescaledb_jobs_failing{${pg}}`]: "1x30 0x60" },
  },
  BackupTooOld: {
    evalTime: "9h",
    fire: {
      series: { [`observatory_backup_last_success_timestamp_seconds{${pg}}`]: "0x600" },
      labels: { severity: "critical", ...labelsOf(pg) },
      summary: "The last backup finished 9h 0m 0s ago",
    },
    // A backup finishes every minute: the newest is never old.
    silent: { [`observatory_backup_last_success_timestamp_seconds{${pg}}`]: "0+60x600" },
  },
};

/** An extra silent case: a collector that restarted inside the window has not been silent for all of it. */
export const restartedCollector: Record<string, string> = {
  [`observatory_collector_spans_accepted_total{${collector}}`]: "5x60",
  [`process_start_time_seconds{${collector}}`]: "1500x60",
};
