import type pg from "pg";
import type { SpanRow } from "./span.js";

/** Cost and count of the spans one write newly stored, per provider and model. */
export interface StoredGroup {
  provider: string;
  model: string;
  spans: number;
  costUsd: number;
}

export interface WriteResult {
  /** Spans newly stored; the rest of the batch was already there (a repeated export). */
  inserted: number;
  groups: StoredGroup[];
}

/** The columns of `spans` a batch fills, in the order of each row's JSON array. */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["project_id", "text"], ["trace_id", "text"], ["span_id", "text"], ["parent_span_id", "text"], ["name", "text"],
  ["kind", "smallint"], ["service_name", "text"], ["environment", "text"], ["start_time", "timestamptz"],
  ["end_time", "timestamptz"], ["duration_ms", "float8"], ["status_code", "smallint"], ["status_message", "text"],
  ["operation", "text"], ["provider", "text"], ["request_model", "text"], ["response_model", "text"],
  ["input_tokens", "integer"], ["output_tokens", "integer"], ["cached_input_tokens", "integer"],
  ["reasoning_tokens", "integer"], ["total_tokens", "integer"], ["cost_usd", "numeric"], ["finish_reasons", "text[]"],
  ["user_id", "text"], ["session_id", "text"], ["attributes", "jsonb"], ["resource_attributes", "jsonb"], ["events", "jsonb"],
];

const NAMES = COLUMNS.map(([name]) => name).join(", ");

/** Element i of a row array as its column type; jsonb values are taken without re-parsing. */
function extract([, type]: readonly [string, string], i: number): string {
  if (type === "jsonb") return `e->${i}`;
  if (type === "text") return `e->>${i}`;
  return `(e->>${i})::${type}`;
}

const ROLLUP_KEY = "project_id, bucket, service_name, environment, provider, model";
const SUMS = ["requests", "errors", "input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens", "cost_usd", "duration_ms_sum"];

/**
 * The newly inserted spans aggregated per minute, the histogram as one column per slot so that the
 * hourly rollup can be summed from these rows instead of aggregating every span again.
 */
function perMinute(slots: number): string {
  const histogram = Array.from({ length: slots }, (_, i) => `count(*) FILTER (WHERE slot = ${i + 1}) AS h${i + 1}`);
  return `
  per_minute AS (
    SELECT project_id, date_bin('1 minute', start_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
           service_name, environment, provider, model,
           count(*) AS requests, count(*) FILTER (WHERE status_code = 2) AS errors,
           coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
           coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens, coalesce(sum(reasoning_tokens), 0) AS reasoning_tokens,
           coalesce(sum(cost_usd), 0) AS cost_usd, sum(duration_ms) AS duration_ms_sum, max(duration_ms) AS duration_ms_max,
           ${histogram.join(", ")}
    FROM inserted GROUP BY 1, 2, 3, 4, 5, 6
  )`;
}

/** Adds `source` rows (already grouped by ROLLUP_KEY) to a rollup table. */
function rollupUpsert(table: string, source: string, slots: number): string {
  const histogram = Array.from({ length: slots }, (_, i) => `h${i + 1}`).join(", ");
  return `
  ${table}_upsert AS (
    INSERT INTO ${table} AS r (${ROLLUP_KEY}, ${SUMS.join(", ")}, duration_ms_max, latency_histogram)
    SELECT ${ROLLUP_KEY}, ${SUMS.join(", ")}, duration_ms_max, ARRAY[${histogram}]::bigint[]
    FROM (${source}) AS s
    -- Concurrent writers lock rollup rows in one order, so they cannot deadlock.
    ORDER BY ${ROLLUP_KEY}
    ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET
      ${SUMS.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(",\n      ")},
      duration_ms_max = greatest(r.duration_ms_max, EXCLUDED.duration_ms_max),
      latency_histogram = rollup_histogram_add(r.latency_histogram, EXCLUDED.latency_histogram)
    RETURNING 1
  )`;
}

/** The per-minute rows summed per hour. */
function perHour(slots: number): string {
  const histogram = Array.from({ length: slots }, (_, i) => `sum(h${i + 1}) AS h${i + 1}`);
  return `SELECT project_id, date_bin('1 hour', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
           service_name, environment, provider, model, ${SUMS.map((c) => `sum(${c}) AS ${c}`).join(", ")},
           max(duration_ms_max) AS duration_ms_max, ${histogram.join(", ")}
    FROM per_minute GROUP BY 1, 2, 3, 4, 5, 6`;
}

/**
 * One statement per batch: the rows arrive as one jsonb array of arrays (no COPY, so it also works
 * through pglite-socket; positional arrays parse faster than objects, and attributes are taken as
 * jsonb values, never re-parsed), spans already stored are skipped on the primary key, and only
 * the newly inserted ones are added to the per-minute and per-hour rollups, in one transaction.
 */
function writeStatement(slots: number): string {
  return `
  WITH inserted AS (
    INSERT INTO spans (${NAMES})
    SELECT ${COLUMNS.map(extract).join(", ")} FROM jsonb_array_elements($1::jsonb) AS e
    ON CONFLICT DO NOTHING
    RETURNING project_id, start_time, service_name, coalesce(environment, '') AS environment,
              coalesce(provider, '') AS provider, coalesce(response_model, request_model, '') AS model,
              status_code, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd,
              duration_ms, rollup_latency_slot(duration_ms) AS slot
  ),
  ${perMinute(slots)},
  ${rollupUpsert("span_rollups_1m", "SELECT * FROM per_minute", slots)},
  ${rollupUpsert("span_rollups_1h", perHour(slots), slots)}
  SELECT provider, model, sum(requests) AS spans, sum(cost_usd)::float8 AS cost_usd
  FROM per_minute GROUP BY provider, model`;
}

/** A PostgreSQL array literal of strings (the text form both the jsonb path and COPY accept). */
export function textArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** A row as the values of COLUMNS, in order. */
export function spanValues(r: SpanRow): unknown[] {
  return [
    r.projectId, r.traceId, r.spanId, r.parentSpanId, r.name, r.kind, r.serviceName, r.environment, r.startTime,
    r.endTime, r.durationMs, r.statusCode, r.statusMessage, r.operation, r.provider, r.requestModel, r.responseModel,
    r.inputTokens, r.outputTokens, r.cachedInputTokens, r.reasoningTokens, r.totalTokens, r.costUsd, r.finishReasons && textArrayLiteral(r.finishReasons),
    r.userId, r.sessionId, r.attributes, r.resourceAttributes, r.events,
  ];
}

/** The names of the columns spanValues fills, in order (for COPY in the benchmark). */
export const SPAN_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class SpanWriter {
  private statement: Promise<string> | undefined;

  constructor(private readonly db: pg.Pool) {}

  async write(rows: SpanRow[]): Promise<WriteResult> {
    const sql = await this.prepare();
    // Overlapping batches (a repeated export) insert their spans in one key order, so they cannot deadlock.
    const ordered = [...rows].sort((a, b) => compare(a.traceId, b.traceId) || compare(a.spanId, b.spanId));
    const { rows: groups } = await this.db.query(sql, [JSON.stringify(ordered.map(spanValues))]);
    const result: WriteResult = { inserted: 0, groups: [] };
    for (const g of groups) {
      const spans = Number(g.spans);
      result.inserted += spans;
      result.groups.push({ provider: g.provider, model: g.model, spans, costUsd: g.cost_usd });
    }
    return result;
  }

  /** The histogram's length comes from the schema, so a new latency bound needs no code change. */
  private prepare(): Promise<string> {
    this.statement ??= this.db
      .query("SELECT cardinality(rollup_latency_bounds()) + 1 AS slots")
      .then(({ rows }) => writeStatement(rows[0].slots))
      .catch((err: unknown) => {
        this.statement = undefined;
        throw err;
      });
    return this.statement;
  }
}
