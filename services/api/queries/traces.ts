import { type DimensionFilters, SPAN_FILTERS, type SpanFilter } from "./dimensions.js";
import { Params, type Query, atMicros, containsPattern, isoMicros, microsText } from "./sql.js";

/** Where the previous page ended: the last root's start (µs since the epoch) and trace id. */
export interface TraceKey {
  startUs: string;
  traceId: string;
}

export interface TraceListFilters extends DimensionFilters, Partial<Record<SpanFilter, string>> {
  projectId: string;
  from: Date;
  to: Date;
  status?: "ok" | "error";
  name?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  minCostUsd?: number;
  maxCostUsd?: number;
  after?: TraceKey;
  /** Rows to fetch (the caller asks one more than it shows, to know whether a page follows). */
  limit: number;
}

/**
 * How far from its root a trace's spans are looked for: spans starting more than this before or
 * after the root are not counted in the list's aggregates (nor is an earlier root further back).
 * The bound lets TimescaleDB skip every chunk (and compressed batch) outside it instead of
 * searching a project's whole history for each listed trace.
 */
export const TRACE_WINDOW = "1 day";

/** A list filter turned into SQL pieces, shared by the two ways of reading the list. */
export interface TraceListSql {
  p: Params;
  from: string;
  to: string;
  project: string;
  /** TRACE_WINDOW as an SQL interval. */
  window: string;
  /** Conditions on a root span `r`. */
  root: string[];
  /** Conditions on a trace's aggregates `t`. */
  trace: string[];
  /** The aggregates of a trace over its spans `s`. */
  aggregates: string;
  /** Whether span `s` is one of those the list counts for root `r` (an alias or a row expression): of its trace, within the window around the listed range and the root. */
  ofTrace: (r: string) => string;
  /** A listed row from a root's columns and its trace's aggregates, in the shape the API answers (plus start_us for the cursor). */
  listed: (root: string, trace: string) => string;
}

export function traceListSql(f: Omit<TraceListFilters, "limit">): TraceListSql {
  const p = new Params();
  const from = p.add(f.from);
  const to = p.add(f.to);
  const window = `INTERVAL '${TRACE_WINDOW}'`;
  const root = ["r.parent_span_id IS NULL", `r.start_time >= ${from}`, `r.start_time < ${to}`];
  if (f.service !== undefined) root.push(`r.service_name = ${p.add(f.service)}`);
  if (f.environment !== undefined) root.push(`r.environment = ${p.add(f.environment)}`);
  if (f.name !== undefined) root.push(`r.name ILIKE ${p.add(containsPattern(f.name))}`);
  if (f.after) {
    root.push(
      `(r.start_time, r.trace_id) < (${atMicros(p.add(f.after.startUs))}, ${p.add(f.after.traceId)})`,
    );
  }

  const spanMatch: string[] = [];
  if (f.provider !== undefined) spanMatch.push(`s.provider = ${p.add(f.provider)}`);
  if (f.model !== undefined) spanMatch.push(`coalesce(s.response_model, s.request_model) = ${p.add(f.model)}`);
  for (const key of Object.keys(SPAN_FILTERS) as SpanFilter[]) {
    if (f[key] !== undefined) spanMatch.push(`s.${SPAN_FILTERS[key]} = ${p.add(f[key])}`);
  }

  const trace: string[] = [];
  if (spanMatch.length > 0) trace.push("t.matched");
  if (f.status === "error") trace.push("t.error_count > 0");
  if (f.status === "ok") trace.push("t.error_count = 0");
  if (f.minDurationMs !== undefined) trace.push(`t.duration_ms >= ${p.add(f.minDurationMs)}`);
  if (f.maxDurationMs !== undefined) trace.push(`t.duration_ms <= ${p.add(f.maxDurationMs)}`);
  if (f.minCostUsd !== undefined) trace.push(`coalesce(t.cost_usd, 0) >= ${p.add(f.minCostUsd)}`);
  if (f.maxCostUsd !== undefined) trace.push(`coalesce(t.cost_usd, 0) <= ${p.add(f.maxCostUsd)}`);

  return {
    p,
    from,
    to,
    project: p.add(f.projectId),
    window,
    root,
    trace,
    aggregates: `count(*)::int AS span_count,
         count(*) FILTER (WHERE s.status_code = 2)::int AS error_count,
         (extract(epoch FROM max(s.end_time) - min(s.start_time)) * 1000)::float8 AS duration_ms,
         coalesce(array_agg(DISTINCT coalesce(s.response_model, s.request_model))
                  FILTER (WHERE coalesce(s.response_model, s.request_model) IS NOT NULL), '{}') AS models,
         coalesce(array_agg(DISTINCT s.provider) FILTER (WHERE s.provider IS NOT NULL), '{}') AS providers,
         coalesce(sum(s.input_tokens), 0)::float8 AS input_tokens,
         coalesce(sum(s.output_tokens), 0)::float8 AS output_tokens,
         sum(s.cost_usd)::float8 AS cost_usd
         ${spanMatch.length > 0 ? `, coalesce(bool_or(${spanMatch.join(" AND ")}), false) AS matched` : ""}`,
    ofTrace: (r) => `s.trace_id = ${r}.trace_id AND s.project_id IS NOT DISTINCT FROM ${r}.project_id
    AND s.start_time >= ${from}::timestamptz - ${window} AND s.start_time < ${to}::timestamptz + ${window}
    AND s.start_time >= ${r}.start_time - ${window} AND s.start_time < ${r}.start_time + ${window}`,
    listed: (r, t) => `${r}.trace_id, ${r}.span_id AS root_span_id, ${r}.name, ${r}.service_name AS service, ${r}.environment,
       ${isoMicros(`${r}.start_time`)} AS start_time, ${microsText(`${r}.start_time`)} AS start_us,
       ${r}.user_id, ${r}.session_id, ${t}.span_count, ${t}.error_count, ${t}.duration_ms, ${t}.models, ${t}.providers,
       CASE WHEN ${t}.error_count > 0 THEN 'error' ELSE 'ok' END AS status,
       ${t}.input_tokens, ${t}.output_tokens, ${t}.input_tokens + ${t}.output_tokens AS total_tokens, ${t}.cost_usd`,
  };
}

/**
 * Recent traces, newest first, one row per trace: its root span (the earliest, should a trace
 * have several) plus aggregates over all its spans within TRACE_WINDOW of the root. Service,
 * environment and name filter the root; provider, model, user and session match when any span
 * of the trace has them all; duration, cost and status are those of the whole trace.
 * Keyset pagination on (root start, trace id) keeps deep pages as fast as the first.
 *
 * This is the walk, for uncompressed history (over compressed history, see trace-rounds.ts). The
 * shape leaves the planner one plan whatever its statistics say (without them, for a new
 * project or a fresh table, the previous shape was quadratic in the project's roots). Roots are
 * walked newest first; each costs two lookups of its own trace, as LATERAL subqueries (never
 * turned into hash or anti joins over the whole history): whether an earlier root exists (a
 * filter on the root itself, so it runs before any aggregate), then the aggregates. Both go
 * through the primary key (trace id, start time, ...): they match the project with
 * IS NOT DISTINCT FROM, which no index serves, so no (project_id, start_time) index competes.
 * Every lookup is bounded in time twice: by constants around the listed range (TimescaleDB
 * excludes chunks when planning) and around its root (the key's range, runtime chunk exclusion,
 * compressed batches skipped by their start times).
 * Rows come in the shape the API answers (plus start_us for the cursor), so they are sent as
 * they are: copying rows in JavaScript cost more than the query for a page of 50.
 */
export function traceListQuery(f: TraceListFilters): Query {
  const { p, from, to, project, window, root, trace, aggregates, ofTrace, listed } = traceListSql(f);
  const text = `
SELECT ${listed("r", "t")}
FROM spans r
CROSS JOIN LATERAL (
  SELECT NOT EXISTS (
    SELECT 1 FROM spans o
    WHERE o.trace_id = r.trace_id AND o.project_id IS NOT DISTINCT FROM r.project_id AND o.parent_span_id IS NULL
      AND o.start_time >= ${from}::timestamptz - ${window} AND o.start_time < ${to}
      AND o.start_time >= r.start_time - ${window} AND o.start_time <= r.start_time
      AND (o.start_time, o.span_id) < (r.start_time, r.span_id)
  ) AS is_first
  OFFSET 0
) first
CROSS JOIN LATERAL (SELECT ${aggregates} FROM spans s WHERE ${ofTrace("r")}) t
WHERE r.project_id = ${project}
  AND ${root.join("\n  AND ")}
  AND first.is_first
  ${trace.map((c) => `AND ${c}`).join("\n  ")}
ORDER BY r.start_time DESC, r.trace_id DESC
LIMIT ${p.add(f.limit)}`;
  return { text, values: p.values };
}
