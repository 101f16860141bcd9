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
  if (type === "text[]") return `CASE WHEN jsonb_typeof(e->${i}) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(e->${i})) END`;
  return `(e->>${i})::${type}`;
}

const ROLLUP_KEY = "project_id, bucket, service_name, environment, provider, model";

/** One rollup table's upsert from the CTE `inserted`; `slots` is the latency histogram's length. */
function rollupUpsert(table: string, width: string, slots: number): string {
  const histogram = Array.from({ length: slots }, (_, i) => `count(*) FILTER (WHERE slot = ${i + 1})`).join(", ");
  const sums = ["input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens", "cost_usd"];
  return `
  ${table}_upsert AS (
    INSERT INTO ${table} AS r (${ROLLUP_KEY}, requests, errors, ${sums.join(", ")},
                               duration_ms_sum, duration_ms_max, latency_histogram)
    SELECT project_id, date_bin('${width}', start_time, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
           service_name, environment, provider, model, count(*), count(*) FILTER (WHERE status_code = 2),
           ${sums.map((c) => `coalesce(sum(${c}), 0)`).join(", ")},
           sum(duration_ms), max(duration_ms), ARRAY[${histogram}]::bigint[]
    FROM inserted
    GROUP BY 1, 2, 3, 4, 5, 6
    -- Concurrent writers lock rollup rows in one order, so they cannot deadlock.
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET
      requests = r.requests + EXCLUDED.requests,
      errors = r.errors + EXCLUDED.errors,
      ${sums.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(",\n      ")},
      duration_ms_sum = r.duration_ms_sum + EXCLUDED.duration_ms_sum,
      duration_ms_max = greatest(r.duration_ms_max, EXCLUDED.duration_ms_max),
      latency_histogram = rollup_histogram_add(r.latency_histogram, EXCLUDED.latency_histogram)
    RETURNING 1
  )`;
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
  ${rollupUpsert("span_rollups_1m", "1 minute", slots)},
  ${rollupUpsert("span_rollups_1h", "1 hour", slots)}
  SELECT provider, model, count(*) AS spans, coalesce(sum(cost_usd), 0)::float8 AS cost_usd
  FROM inserted GROUP BY provider, model`;
}

/** A row as the values of COLUMNS, in order. */
export function spanValues(r: SpanRow): unknown[] {
  return [
    r.projectId, r.traceId, r.spanId, r.parentSpanId, r.name, r.kind, r.serviceName, r.environment, r.startTime,
    r.endTime, r.durationMs, r.statusCode, r.statusMessage, r.operation, r.provider, r.requestModel, r.responseModel,
    r.inputTokens, r.outputTokens, r.cachedInputTokens, r.reasoningTokens, r.totalTokens, r.costUsd, r.finishReasons,
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
