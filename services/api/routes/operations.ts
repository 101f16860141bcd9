import type { FastifyPluginAsync } from "fastify";
import type { ReachabilityProbe } from "../../core/db.js";
import type { CacheStore } from "../cache/store.js";
import type { ApiMetrics } from "../metrics.js";

export interface OperationsDeps {
  probe: ReachabilityProbe;
  store: CacheStore;
  metrics: ApiMetrics;
}

const readiness = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["ok", "degraded", "down"] },
    database: { type: "string", enum: ["up", "down"] },
    redis: { type: "string", enum: ["up", "down", "not_configured"] },
  },
} as const;

/** Liveness, readiness and Prometheus metrics (no API key: scraped and probed by the stack). */
export const operationsRoutes: FastifyPluginAsync<OperationsDeps> = async (app, { probe, store, metrics }) => {
  app.get(
    "/health",
    { schema: { summary: "Liveness: the process answers", tags: ["operations"], response: { 200: { type: "object", properties: { status: { type: "string" } } } } } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/ready",
    {
      schema: {
        summary: "Readiness: database reachable (else 503); Redis down only degrades (uncached, unlimited)",
        tags: ["operations"],
        response: { 200: readiness, 503: readiness },
      },
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([
        probe.reachable(),
        store.backend === "memory" ? Promise.resolve(null) : store.ping(),
      ]);
      const body = {
        status: !database ? "down" : redis === false ? "degraded" : "ok",
        database: database ? "up" : "down",
        redis: redis === null ? "not_configured" : redis ? "up" : "down",
      };
      return reply.code(database ? 200 : 503).send(body);
    },
  );

  app.get("/metrics", { schema: { summary: "Prometheus metrics", tags: ["operations"], hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};
