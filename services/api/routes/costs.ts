import type { FastifyPluginAsync } from "fastify";
import { COST_GROUPS, type CostGroup, costSummaryQuery, previousPeriod } from "../queries/costs.js";
import { DAY_MS, MINUTE_MS, alignRange, resolveRange } from "../time-range.js";
import type { RouteDeps } from "./deps.js";
import { type DimensionQuery, type RangeQuery, dimensionFilters, errorResponses, limit, range, security } from "./schemas.js";

interface CostQuery extends RangeQuery, DimensionQuery {
  group_by: CostGroup;
  limit: number;
}

interface CostRow {
  grp: string | null;
  is_total: boolean;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  previous_requests: number;
  previous_input_tokens: number;
  previous_output_tokens: number;
  previous_cost: number;
}

const figures = {
  type: "object",
  properties: {
    cost_usd: { type: "number" },
    input_tokens: { type: "number" },
    output_tokens: { type: "number" },
    requests: { type: "number" },
  },
} as const;

const withPrevious = { type: "object", properties: { ...figures.properties, previous: figures } } as const;

const schema = {
  summary: "Cost, tokens and requests of a period per group, beside the period just before it",
  description:
    "The range is widened to whole minutes; the previous period has the same length and ends where this one starts. " +
    "Groups are sorted by cost; a group key of null collects spans without that attribute. Requests count every span.",
  tags: ["costs"],
  security,
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      group_by: { type: "string", enum: COST_GROUPS, default: "model" },
      ...range,
      ...dimensionFilters,
      limit: limit(100),
    },
  },
  response: {
    200: {
      type: "object",
      properties: {
        group_by: { type: "string" },
        from: { type: "string", format: "date-time" },
        to: { type: "string", format: "date-time" },
        previous_from: { type: "string", format: "date-time" },
        previous_to: { type: "string", format: "date-time" },
        totals: withPrevious,
        groups: { type: "array", items: { type: "object", properties: { key: { type: ["string", "null"] }, ...withPrevious.properties } } },
      },
    },
    ...errorResponses,
  },
} as const;

const current = (r: CostRow) => ({ cost_usd: r.cost, input_tokens: r.input_tokens, output_tokens: r.output_tokens, requests: r.requests });
const previous = (r: CostRow) => ({
  cost_usd: r.previous_cost,
  input_tokens: r.previous_input_tokens,
  output_tokens: r.previous_output_tokens,
  requests: r.previous_requests,
});

export const costRoutes: FastifyPluginAsync<RouteDeps> = async (app, { reads, config }) => {
  app.get<{ Querystring: CostQuery }>(
    "/api/v1/costs/summary",
    { schema, config: { scope: "read", cacheTtlSeconds: config.API_CACHE_TTL_COSTS_SECONDS } },
    async (request, reply) => {
      const { group_by, from, to, limit: groups, ...filters } = request.query;
      const window = alignRange(resolveRange({ from, to }, { maxDays: config.API_MAX_RANGE_DAYS, defaultSpanMs: 30 * DAY_MS }), MINUTE_MS);
      const { rows } = await reads.query<CostRow>(
        request,
        reply,
        costSummaryQuery({ projectId: request.principal!.projectId, groupBy: group_by, range: window, filters, limit: groups }),
      );
      const total = rows.find((r) => r.is_total)!;
      const before = previousPeriod(window);
      return {
        group_by,
        ...window,
        previous_from: before.from,
        previous_to: before.to,
        totals: { ...current(total), previous: previous(total) },
        groups: rows
          .filter((r) => !r.is_total)
          .map((r) => ({ key: r.grp === "" ? null : r.grp, ...current(r), previous: previous(r) })),
      };
    },
  );
};
