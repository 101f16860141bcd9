import type { FastifyPluginAsync } from "fastify";
import { decodeCursor, encodeCursor, filterFingerprint } from "../cursor.js";
import { sendProblem } from "../errors.js";
import { nativeId } from "../native-span.js";
import { listTraces } from "../trace-rounds.js";
import { MAX_TREE_SPANS, traceSpansQuery } from "../queries/trace-tree.js";
import { DAY_MS, resolveBounds, resolveRange } from "../time-range.js";
import { type SpanRecord, buildTraceTree } from "../trace-tree.js";
import type { ApiConfig } from "../config.js";
import type { RouteDeps } from "./deps.js";
import {
  type DimensionQuery,
  type RangeQuery,
  type SpanFilterQuery,
  dateTime,
  dimensionFilters,
  errorResponses,
  limit,
  range,
  security,
  spanFilters,
  text,
} from "./schemas.js";

/** The filters of the trace list, which the trace summary shares. */
export interface TraceFilterQuery extends RangeQuery, DimensionQuery, SpanFilterQuery {
  status?: "ok" | "error";
  name?: string;
  min_duration_ms?: number;
  max_duration_ms?: number;
  min_cost_usd?: number;
  max_cost_usd?: number;
}

interface TraceListQuery extends TraceFilterQuery {
  cursor?: string;
  limit: number;
}

const amount = (description: string, max: number) => ({ type: "number", minimum: 0, maximum: max, description }) as const;

export const traceFilterProperties = {
  ...range,
  ...dimensionFilters,
  ...spanFilters,
  status: { type: "string", enum: ["ok", "error"], description: "error: some span failed" },
  name: { ...text, description: "root span name contains (case-insensitive)" },
  min_duration_ms: amount("trace duration at least", 1e10),
  max_duration_ms: amount("trace duration at most", 1e10),
  min_cost_usd: amount("trace cost at least", 1e8),
  max_cost_usd: amount("trace cost at most", 1e8),
} as const;

/** The query's filters as the list query takes them, over the resolved time window. */
export function traceFilters(query: TraceFilterQuery, projectId: string, config: ApiConfig) {
  const { from, to, min_duration_ms, max_duration_ms, min_cost_usd, max_cost_usd, ...equalities } = query;
  const window = resolveRange({ from, to }, { maxDays: config.API_MAX_RANGE_DAYS, defaultSpanMs: DAY_MS });
  return {
    window,
    filters: {
      projectId,
      ...window,
      ...equalities,
      minDurationMs: min_duration_ms,
      maxDurationMs: max_duration_ms,
      minCostUsd: min_cost_usd,
      maxCostUsd: max_cost_usd,
    },
  };
}

const listSchema = {
  summary: "Recent traces, newest first (one row per trace)",
  tags: ["traces"],
  security,
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      ...traceFilterProperties,
      cursor: { type: "string", maxLength: 512, pattern: "^[A-Za-z0-9_-]+$", description: "next_cursor of the previous page" },
      limit: limit(50),
    },
  },
  response: {
    200: {
      type: "object",
      properties: {
        from: { type: "string", format: "date-time" },
        to: { type: "string", format: "date-time" },
        next_cursor: { type: ["string", "null"] },
        traces: {
          type: "array",
          items: {
            type: "object",
            properties: {
              trace_id: { type: "string" },
              root_span_id: { type: "string" },
              name: { type: "string" },
              service: { type: "string" },
              environment: { type: ["string", "null"] },
              start_time: { type: "string", format: "date-time" },
              duration_ms: { type: "number" },
              span_count: { type: "integer" },
              error_count: { type: "integer" },
              status: { type: "string", enum: ["ok", "error"] },
              models: { type: "array", items: { type: "string" } },
              providers: { type: "array", items: { type: "string" } },
              input_tokens: { type: "number" },
              output_tokens: { type: "number" },
              total_tokens: { type: "number" },
              cost_usd: { type: ["number", "null"] },
              user_id: { type: ["string", "null"] },
              session_id: { type: ["string", "null"] },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;

const totals = {
  type: "object",
  properties: { span_count: { type: "integer" }, input_tokens: { type: "number" }, output_tokens: { type: "number" }, cost_usd: { type: "number" } },
} as const;
const nullable = (type: string) => ({ type: [type, "null"] }) as const;
const json = { type: "object", additionalProperties: true } as const;

/** A span of the tree; its children have the same shape (described once: OpenAPI tools and the serializer take no recursion here). */
const treeSpan = {
  type: "object",
  additionalProperties: true,
  properties: {
    span_id: { type: "string" },
    parent_span_id: nullable("string"),
    name: { type: "string" },
    kind: { type: "integer" },
    service_name: { type: "string" },
    environment: nullable("string"),
    start_time: { type: "string", format: "date-time" },
    end_time: { type: "string", format: "date-time" },
    duration_ms: { type: "number" },
    status_code: { type: "integer", description: "0 unset, 1 ok, 2 error" },
    status_message: nullable("string"),
    operation: nullable("string"),
    provider: nullable("string"),
    request_model: nullable("string"),
    response_model: nullable("string"),
    input_tokens: nullable("integer"),
    output_tokens: nullable("integer"),
    cached_input_tokens: nullable("integer"),
    reasoning_tokens: nullable("integer"),
    total_tokens: nullable("integer"),
    cost_usd: nullable("number"),
    finish_reasons: { type: ["array", "null"], items: { type: "string" } },
    user_id: nullable("string"),
    session_id: nullable("string"),
    attributes: json,
    resource_attributes: json,
    events: { type: "array", items: { type: "object", additionalProperties: true, properties: { name: { type: "string" }, timeUnixNano: { type: "string" }, attributes: json } } },
    subtree: totals,
    children: { type: "array", items: json },
  },
} as const;

const treeSchema = {
  summary: "Every span of a trace as a tree, with per-span, per-subtree and total tokens and cost",
  tags: ["traces"],
  security,
  params: {
    type: "object",
    properties: { traceId: { ...text, description: "32 hex characters, or the trace_id a native span was posted with" } },
    required: ["traceId"],
  },
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      from: { ...dateTime, description: "Only spans starting at or after this (RFC 3339); the UI passes the listed trace's start minus its duration" },
      to: { ...dateTime, description: "Only spans starting before this (RFC 3339, exclusive); the UI passes the listed trace's start plus one day" },
    },
  },
  response: {
    200: {
      type: "object",
      properties: {
        trace_id: { type: "string" },
        truncated: { type: "boolean", description: `more than ${MAX_TREE_SPANS} spans: the tree holds the first ones` },
        totals,
        spans: { type: "array", items: treeSpan },
      },
    },
    404: { type: "object", additionalProperties: true },
    ...errorResponses,
  },
} as const;

export const traceRoutes: FastifyPluginAsync<RouteDeps> = async (app, { reads, history, config }) => {
  app.get<{ Querystring: TraceListQuery }>(
    "/api/v1/traces",
    { schema: listSchema, config: { scope: "read", cacheTtlSeconds: config.API_CACHE_TTL_TRACES_SECONDS } },
    async (request, reply) => {
      const { cursor, limit: pageSize, ...query } = request.query;
      const fingerprint = filterFingerprint(query);
      const { window, filters } = traceFilters(query, request.principal!.projectId, config);
      const rows = await listTraces((q) => reads.query(request, reply, q), history, {
        ...filters,
        ...(cursor === undefined ? {} : { after: decodeCursor(cursor, fingerprint) }),
        limit: pageSize + 1,
      });
      const page = rows.slice(0, pageSize);
      const last = page[page.length - 1];
      return {
        ...window,
        next_cursor: rows.length > pageSize && last ? encodeCursor({ startUs: last.start_us, traceId: last.trace_id }, fingerprint) : null,
        traces: page,
      };
    },
  );

  app.get<{ Params: { traceId: string }; Querystring: { from?: string; to?: string } }>(
    "/api/v1/traces/:traceId",
    {
      schema: treeSchema,
      // The schema documents the answer; JSON.stringify writes it, as fast as before it was described
      // (the compiled serializer measured slower on a 10,000-span tree) and with every column.
      serializerCompiler: () => (data) => JSON.stringify(data),
      config: { scope: "read", cacheTtlSeconds: config.API_CACHE_TTL_TRACE_SECONDS },
    },
    async (request, reply) => {
      const traceId = nativeId(request.params.traceId, 32);
      const window = resolveBounds(request.query);
      const { rows } = await reads.query<SpanRecord>(request, reply, traceSpansQuery(request.principal!.projectId, traceId, window));
      if (rows.length === 0) {
        const where = window.from || window.to ? "in this project between from and to" : "in this project";
        return sendProblem(reply, 404, `no such trace ${where}`);
      }
      const truncated = rows.length > MAX_TREE_SPANS;
      const { roots, totals } = buildTraceTree(rows.slice(0, MAX_TREE_SPANS));
      return { trace_id: traceId, truncated, totals, spans: roots };
    },
  );
};
