import type { FastifyPluginAsync } from "fastify";
import { summarizeTraces } from "../trace-rounds.js";
import type { RouteDeps } from "./deps.js";
import { errorResponses, security } from "./schemas.js";
import { type TraceFilterQuery, traceFilterProperties, traceFilters } from "./traces.js";

/** Traces a summary counts at most: enough for any screen's totals, bounded on any project. */
export const SUMMARY_MAX_TRACES = 10_000;

const count = { type: "integer" } as const;
const amount = { type: "number" } as const;

export const traceSummaryRoutes: FastifyPluginAsync<RouteDeps> = async (app, { reads, history, config }) => {
  app.get<{ Querystring: TraceFilterQuery }>(
    "/api/v1/traces/summary",
    {
      schema: {
        summary: "Totals of the traces a trace-list filter matches (its newest 10,000 at most)",
        tags: ["traces"],
        security,
        querystring: { type: "object", additionalProperties: false, properties: traceFilterProperties },
        response: {
          200: {
            type: "object",
            properties: {
              from: { type: "string", format: "date-time" },
              to: { type: "string", format: "date-time" },
              traces: count,
              spans: count,
              error_traces: count,
              error_rate: amount,
              input_tokens: amount,
              output_tokens: amount,
              cost_usd: amount,
              capped: { type: "boolean", description: `more than ${SUMMARY_MAX_TRACES} traces match: the totals are those of the newest ${SUMMARY_MAX_TRACES}` },
            },
          },
          ...errorResponses,
        },
      },
      config: { scope: "read", cacheTtlSeconds: config.API_CACHE_TTL_TRACES_SECONDS },
    },
    async (request, reply) => {
      const { window, filters } = traceFilters(request.query, request.principal!.projectId, config);
      const t = await summarizeTraces((q) => reads.query(request, reply, q), history, filters, SUMMARY_MAX_TRACES);
      return { ...window, ...t, error_rate: t.traces > 0 ? t.error_traces / t.traces : 0 };
    },
  );
};
