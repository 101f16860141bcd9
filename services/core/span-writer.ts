import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
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
 * One statement per batch: spans already stored are skipped on the primary key, and only the newly
 * inserted ones are added to the per-minute and per-hour rollups, in one transaction. `source`
 * yields the batch's rows in COLUMNS order: the staging table the batch was copied into, or (where
 * COPY is not available) one jsonb array of arrays (positional arrays parse faster than objects,
 * and attributes are taken as jsonb values, never re-parsed).
 */
function writeStatement(slots: number, source: string): string {
  return `
  WITH inserted AS (
    INSERT INTO spans (${NAMES})
    ${source}
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

/** Per connection, the temporary table a batch is copied into; emptied by every commit. */
const STAGING = "span_batch";
const FROM_JSONB = `SELECT ${COLUMNS.map(extract).join(", ")} FROM jsonb_array_elements($1::jsonb) AS e`;
// A fresh temporary table is scanned in the order its rows were copied (the sorted batch order).
const FROM_STAGING = `SELECT ${NAMES} FROM ${STAGING}`;

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY text format (NULL as \N; jsonb as its JSON text). */
function copyField(v: unknown): string {
  switch (typeof v) {
    case "string":
      return NEEDS_ESCAPE.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : v;
    case "number":
      return String(v);
    case "object": {
      if (v === null) return "\\N";
      if (v instanceof Date) return v.toISOString();
      // JSON text has no raw tab, newline or carriage return, only backslashes to double.
      const json = JSON.stringify(v);
      return json.includes("\\") ? json.replace(/\\/g, "\\\\") : json;
    }
    default:
      return v === undefined ? "\\N" : String(v);
  }
}

/**
 * Rows as COPY text-format data of COLUMNS (what the writer sends, and the benchmark's raw COPY),
 * encoded in pieces of about 64 KiB: one long concatenated string costs more to encode than it
 * takes to build. A value the previous row had in the same column (the resource's attributes, the
 * service name) is not encoded again.
 */
export function copyData(rows: SpanRow[]): Buffer[] {
  const pieces: Buffer[] = [];
  const previous: unknown[] = [];
  const previousText: string[] = [];
  let text = "";
  for (const r of rows) {
    const values = spanValues(r);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== previous[i] || previousText[i] === undefined) {
        previous[i] = v;
        previousText[i] = copyField(v);
      }
      text += i === 0 ? previousText[i] : "\t" + previousText[i];
    }
    text += "\n";
    if (text.length >= 65_536) {
      pieces.push(Buffer.from(text));
      text = "";
    }
  }
  if (text !== "") pieces.push(Buffer.from(text));
  return pieces;
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

export interface SpanWriterOptions {
  /**
   * "copy" (default): each batch is copied into a temporary table and inserted from there, which
   * costs PostgreSQL about what a raw COPY does. "insert": one statement with the batch as a jsonb
   * parameter, for servers or proxies without COPY FROM STDIN (pglite-socket).
   */
  mode?: "copy" | "insert";
}

export class SpanWriter {
  private statements: Promise<{ copy: string; insert: string }> | undefined;
  /** Connections whose temporary staging table exists. */
  private readonly staged = new WeakSet<pg.PoolClient>();
  private readonly mode: "copy" | "insert";

  constructor(
    private readonly db: pg.Pool,
    options: SpanWriterOptions = {},
  ) {
    this.mode = options.mode ?? "copy";
  }

  async write(rows: SpanRow[]): Promise<WriteResult> {
    const sql = await this.prepare();
    // Overlapping batches (a repeated export) insert their spans in one key order, so they cannot deadlock.
    const ordered = [...rows].sort((a, b) => compare(a.traceId, b.traceId) || compare(a.spanId, b.spanId));
    const groups = this.mode === "copy" ? await this.writeByCopy(sql.copy, ordered) : (await this.db.query(sql.insert, [JSON.stringify(ordered.map(spanValues))])).rows;
    const result: WriteResult = { inserted: 0, groups: [] };
    for (const g of groups) {
      const spans = Number(g.spans);
      result.inserted += spans;
      result.groups.push({ provider: g.provider, model: g.model, spans, costUsd: g.cost_usd });
    }
    return result;
  }

  /** COPY into the connection's staging table, then the write statement from it, in one transaction. */
  private async writeByCopy(sql: string, rows: SpanRow[]): Promise<Array<Record<string, unknown>>> {
    const client = await this.db.connect();
    let broken: Error | undefined;
    try {
      if (!this.staged.has(client)) {
        await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${STAGING} (LIKE spans INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
        this.staged.add(client);
      }
      await client.query("BEGIN");
      try {
        await pipeline(Readable.from(copyData(rows)), client.query(copyFrom(`COPY ${STAGING} (${NAMES}) FROM STDIN`)));
        const { rows: groups } = await client.query(sql);
        await client.query("COMMIT");
        return groups;
      } catch (err) {
        // A ROLLBACK on a connection that is gone or silent would only wait for its own timeout.
        if (err instanceof pg.DatabaseError) await client.query("ROLLBACK").catch((rollbackErr: Error) => (broken = rollbackErr));
        throw err;
      }
    } catch (err) {
      // A connection that failed outside a server error (reset, silent, mid-COPY) is not reused.
      if (!(err instanceof pg.DatabaseError)) broken ??= err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** The histogram's length comes from the schema, so a new latency bound needs no code change. */
  private prepare(): Promise<{ copy: string; insert: string }> {
    this.statements ??= this.db
      .query("SELECT cardinality(rollup_latency_bounds()) + 1 AS slots")
      .then(({ rows }) => ({ copy: writeStatement(rows[0].slots, FROM_STAGING), insert: writeStatement(rows[0].slots, FROM_JSONB) }))
      .catch((err: unknown) => {
        this.statements = undefined;
        throw err;
      });
    return this.statements;
  }
}
