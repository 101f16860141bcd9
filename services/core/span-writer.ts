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

const COLUMNS = `project_id text, trace_id text, span_id text, parent_span_id text, name text, kind smallint,
  service_name text, environment text, start_time timestamptz, end_time timestamptz, duration_ms float8,
  status_code smallint, status_message text, operation text, provider text, request_model text, response_model text,
  input_tokens integer, output_tokens integer, cached_input_tokens integer, reasoning_tokens integer,
  total_tokens integer, cost_usd numeric, finish_reasons text[], user_id text, session_id text,
  attributes jsonb, resource_attributes jsonb, events jsonb`;

const NAMES = COLUMNS.split(",").map((c) => c.trim().split(/\s+/)[0]).join(", ");

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
 * One statement per batch: the rows arrive as a single JSON parameter (no COPY, so it also works
 * through pglite-socket), spans already stored are skipped on the primary key, and only the newly
 * inserted ones are added to the per-minute and per-hour rollups, all in one transaction.
 */
function writeStatement(slots: number): string {
  return `
  WITH input AS (SELECT * FROM json_to_recordset($1::json) AS x(${COLUMNS})),
  inserted AS (
    INSERT INTO spans (${NAMES}) SELECT ${NAMES} FROM input
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

function toRecord(r: SpanRow): Record<string, unknown> {
  return {
    project_id: r.projectId,
    trace_id: r.traceId,
    span_id: r.spanId,
    parent_span_id: r.parentSpanId,
    name: r.name,
    kind: r.kind,
    service_name: r.serviceName,
    environment: r.environment,
    start_time: r.startTime,
    end_time: r.endTime,
    duration_ms: r.durationMs,
    status_code: r.statusCode,
    status_message: r.statusMessage,
    operation: r.operation,
    provider: r.provider,
    request_model: r.requestModel,
    response_model: r.responseModel,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cached_input_tokens: r.cachedInputTokens,
    reasoning_tokens: r.reasoningTokens,
    total_tokens: r.totalTokens,
    cost_usd: r.costUsd,
    finish_reasons: r.finishReasons,
    user_id: r.userId,
    session_id: r.sessionId,
    attributes: r.attributes,
    resource_attributes: r.resourceAttributes,
    events: r.events,
  };
}

export class SpanWriter {
  private statement: Promise<string> | undefined;

  constructor(private readonly db: pg.Pool) {}

  async write(rows: SpanRow[]): Promise<WriteResult> {
    const sql = await this.prepare();
    const { rows: groups } = await this.db.query(sql, [JSON.stringify(rows.map(toRecord))]);
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
