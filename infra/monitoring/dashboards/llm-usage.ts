import type { StackConfig } from "../../config.js";
import { dashboard, type PanelSpec, postgresSource } from "./panels.js";

/** Rows of the selected project in the dashboard's time range, per rollup minute. */
const rollupWhere = "WHERE $__timeFilter(bucket) AND project_id = '$project'";
const spanWhere = "WHERE $__timeFilter(start_time) AND project_id = '$project'";
const tokens = "coalesce(sum(input_tokens), 0) + coalesce(sum(output_tokens), 0)";
const cost = "coalesce(sum(cost_usd), 0)::float8";

/** The dashboard's variables: the project, and the dimension the usage series are split by. */
export const llmUsageVariables = [
  {
    name: "project",
    label: "Project",
    type: "query",
    datasource: postgresSource,
    query: "SELECT id FROM projects ORDER BY id",
    refresh: 1,
    multi: false,
    includeAll: false,
  },
  {
    name: "dimension",
    label: "Split by",
    type: "custom",
    query: "model : model, provider : provider, service : service_name",
    current: { text: "model", value: "model" },
    multi: false,
    includeAll: false,
  },
];

/** The values $dimension takes: columns of the rollup tables. */
export const dimensionColumns = ["model", "provider", "service_name"] as const;

const total = (title: string, description: string, value: string, unit: string): PanelSpec => ({
  title, description, type: "stat", unit, width: 6, queries: [{ format: "table", sql: `SELECT ${value} AS value FROM span_rollups_1m ${rollupWhere}` }],
});

const usageSeries = (title: string, value: string, unit: string): PanelSpec => ({
  title: `${title} by $dimension`,
  description: `${title} per interval, one series per value of the chosen dimension (from the per-minute rollups).`,
  type: "timeseries",
  unit,
  minInterval: "1m",
  queries: [{
    format: "time_series",
    sql: `SELECT $__timeGroupAlias(bucket, $__interval), coalesce(nullif($dimension, ''), '(none)') AS metric, ${value} AS value FROM span_rollups_1m ${rollupWhere} GROUP BY 1, 2 ORDER BY 1, 2`,
  }],
});

const topBy = (column: string, label: string): PanelSpec => ({
  title: `Top ${label}s by cost`,
  description: `The ten ${label}s whose spans cost most in the time range.`,
  type: "table",
  queries: [{
    format: "table",
    sql: `SELECT ${column} AS ${label}, count(*) AS spans, count(DISTINCT trace_id) AS traces, ${tokens} AS tokens, ${cost} AS cost_usd FROM spans ${spanWhere} AND ${column} IS NOT NULL GROUP BY 1 ORDER BY cost_usd DESC, 1 LIMIT 10`,
  }],
});

/** Percentiles merged from the rollups' latency histograms (slot by slot) per interval. */
const latencySql = [
  'SELECT t AS "time",',
  ...[50, 95, 99].map((p, i) => `  rollup_latency_percentile(array_agg(n ORDER BY slot), ${p / 100}, max(max_ms)) AS p${p}${i < 2 ? "," : ""}`),
  "FROM (",
  "  SELECT $__timeGroup(bucket, $__interval) AS t, h.slot, sum(h.n)::bigint AS n, max(duration_ms_max) AS max_ms",
  "  FROM span_rollups_1m, unnest(latency_histogram) WITH ORDINALITY AS h(n, slot)",
  `  ${rollupWhere}`,
  "  GROUP BY 1, 2",
  ") per_slot",
  "GROUP BY t ORDER BY t",
].join("\n");

export function llmUsageDashboard(monitoring: StackConfig["monitoring"]): object {
  const specs: PanelSpec[] = [
    total("Requests", "Spans in the time range.", "coalesce(sum(requests), 0)", "short"),
    total("Tokens", "Input and output tokens in the time range.", tokens, "short"),
    total("Cost", "Cost of the spans in the time range.", cost, "currencyUSD"),
    total("Error rate", "Share of spans with an error status.", "sum(errors)::float8 / nullif(sum(requests), 0)", "percentunit"),
    usageSeries("Requests", "sum(requests)", "short"),
    usageSeries("Tokens", "sum(input_tokens + output_tokens)", "short"),
    usageSeries("Cost", "sum(cost_usd)::float8", "currencyUSD"),
    {
      title: "Latency p50 / p95 / p99",
      description: "Span duration percentiles estimated from the rollups' latency histograms.",
      type: "timeseries", unit: "ms", minInterval: "1m",
      queries: [{ format: "time_series", sql: latencySql }],
    },
    {
      title: "Error rate over time",
      description: "Share of spans with an error status per interval.",
      type: "timeseries", unit: "percentunit", minInterval: "1m",
      queries: [{ format: "time_series", sql: `SELECT $__timeGroupAlias(bucket, $__interval), sum(errors)::float8 / nullif(sum(requests), 0) AS error_rate FROM span_rollups_1m ${rollupWhere} GROUP BY 1 ORDER BY 1` }],
    },
    {
      title: "Spend in the last hour (all projects)",
      description: "Cost the collectors stored in the last hour; the red line is the CostBurnAboveBudget threshold.",
      type: "timeseries", unit: "currencyUSD", threshold: monitoring.hourlyCostBudgetUsd,
      queries: [{ expr: "sum(observatory:ingested_cost_usd:increase1h)", legend: "last hour" }],
    },
    topBy("user_id", "user"),
    topBy("session_id", "session"),
    {
      title: "Most expensive traces",
      description: "The twenty traces with the highest total cost in the time range.",
      type: "table", width: 24,
      queries: [{
        format: "table",
        sql: `SELECT trace_id, min(name) FILTER (WHERE parent_span_id IS NULL) AS root_span, min(start_time) AS started, count(*) AS spans, ${tokens} AS tokens, ${cost} AS cost_usd FROM spans ${spanWhere} GROUP BY trace_id HAVING sum(cost_usd) > 0 ORDER BY cost_usd DESC, trace_id LIMIT 20`,
      }],
    },
  ];
  return dashboard("observatory-llm-usage", "LLM usage", specs, llmUsageVariables);
}
