import fp from "fastify-plugin";
import type { ApiMetrics } from "./metrics.js";

/** Counts and times every answer by route template (never the raw URL, to bound label values). */
export const requestMetricsPlugin = fp<{ metrics: ApiMetrics }>(
  async (app, { metrics }) => {
    app.addHook("onResponse", async (request, reply) => {
      const route = request.routeOptions.url ?? "unmatched";
      metrics.requests.inc({ route, method: request.method, status_code: String(reply.statusCode) });
      metrics.duration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    });
  },
  { name: "observatory-request-metrics" },
);
