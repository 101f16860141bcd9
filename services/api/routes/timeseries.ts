import type { FastifyPluginAsync } from "fastify";
import { BadParameter } from "../errors.js";
import { DIMENSION_NAMES, type Dimension } from "../queries/dimensions.js";
import { latencySlots } from "../queries/latency.js";
import { INTERVALS, type Interval, SERIES_METRICS, type SeriesMetric, seriesSource, timeseriesQuery } from "../queries/timeseries.js";
import { DAY_MS, alignRange, resolveRange } from "../time-range.js";
import type { RouteDeps } from "./deps.js";
import {
  type DimensionQuery,
  type RangeQuery,
  type SpanFilterQuery,
  dimensionFilters,
  errorResponses,
  range,
  security,
  spanFilters,
} from "./schemas.js";

interface SeriesQuery extends RangeQuery, DimensionQuery, SpanFilterQuery {
  metric: SeriesMetric;
  interval: Interval;
  group_by?: Dimension;
}

const schema = {
  summary: "A metric over time, optionally one series per provider, model, service or environment",
  description:
    "Served from the per-minute rollup (interval 1m) or the hourly one (1h, 1d); user_id or session_id filters read raw spans. " +
    "The range is widened to whole intervals (UTC); buckets without spans are omitted. Latency percentiles are estimated from the rollups' latency histogram.",
  tags: ["metrics"],
  security,
  querystring: {
    type: "object",
    additionalProperties: false,
    required: ["metric"],
    properties: {
      metric: { type: "string", enum: SERIES_METRICS },
      interval: { type: "string", enum: Object.keys(INTERVALS), default: "1h" },
      group_by: { type: "string", enum: DIMENSION_NAMES },
      ...range,
      ...dimensionFilters,
      ...spanFilters,
    },
  },
  response: {
    200: {
      type: "object",
      properties: {
        metric: { type: "string" },
        interval: { type: "string" },
        group_by: { type: ["string", "null"] },
        source: { type: "string" },
        from: { type: "string", format: "date-time" },
        to: { type: "string", format: "date-time" },
        series: {
          type: "array",
          items: {
            type: "object",
            properties: {
              group: { type: ["string", "null"] },
              points: {
                type: "array",
                items: { type: "object", properties: { t: { type: "string", format: "date-time" }, v: { type: ["number", "null"] } } },
              },
            },
          },
        },
      },
    },
    ...errorResponses,
  },
} as const;

export const timeseriesRoutes: FastifyPluginAsync<RouteDeps> = async (app, { pool, reads, config }) => {
  app.get<{ Querystring: SeriesQuery }>(
    "/api/v1/metrics/timeseries",
    { schema, config: { scope: "read", cacheTtlSeconds: config.API_CACHE_TTL_TIMESERIES_SECONDS } },
    async (request, reply) => {
      const { metric, interval, group_by, from, to, ...filters } = request.query;
      const step = INTERVALS[interval].ms;
      const window = alignRange(resolveRange({ from, to }, { maxDays: config.API_MAX_RANGE_DAYS, defaultSpanMs: DAY_MS }), step);
      const points = (window.to.getTime() - window.from.getTime()) / step;
      if (points > config.API_MAX_SERIES_POINTS) {
        throw new BadParameter("interval", `${points} points exceed ${config.API_MAX_SERIES_POINTS}: choose a wider interval or a shorter range`);
      }
      const req = { projectId: request.principal!.projectId, metric, interval, range: window, filters, slots: await latencySlots(pool) };
      const { rows } = await reads.query<{ grp: string; t: Date; v: number | null }>(
        request,
        reply,
        timeseriesQuery(group_by ? { ...req, groupBy: group_by } : req),
      );
      const series = new Map<string, { t: Date; v: number | null }[]>();
      for (const r of rows) {
        const points = series.get(r.grp);
        if (points) points.push({ t: r.t, v: r.v });
        else series.set(r.grp, [{ t: r.t, v: r.v }]);
      }
      return {
        metric,
        interval,
        group_by: group_by ?? null,
        source: seriesSource({ interval, filters }).table,
        ...window,
        series: [...series].map(([grp, points]) => ({ group: group_by && grp !== "" ? grp : null, points })),
      };
    },
  );
};
