import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify from "fastify";
import type { Redis } from "ioredis";
import type pg from "pg";
import { ApiKeyResolver } from "../core/api-keys.js";
import { ReachabilityProbe, createPool } from "../core/db.js";
import { type Logger, createLogger } from "../core/logger.js";
import { IngestPipeline } from "../core/pipeline.js";
import { PriceBook } from "../core/pricing.js";
import { SpanWriter } from "../core/span-writer.js";
import { answerLimitPlugin } from "./answer-limit.js";
import { authPlugin } from "./auth.js";
import { MemoryStore } from "./cache/memory-store.js";
import { RedisStore, connectRedis } from "./cache/redis-store.js";
import type { CacheStore } from "./cache/store.js";
import type { ApiConfig } from "./config.js";
import { sendError } from "./errors.js";
import { parseQueryNumbers, rejectNonFinite } from "./strict-numbers.js";
import { ApiMetrics } from "./metrics.js";
import { CompressedHistory } from "./compressed-history.js";
import { ProjectReads } from "./project-reads.js";
import { rateLimitPlugin } from "./rate-limit.js";
import { requestMetricsPlugin } from "./request-metrics.js";
import { responseCachePlugin } from "./response-cache.js";
import { costRoutes } from "./routes/costs.js";
import { keyListRoutes } from "./routes/key-list.js";
import { keyRoutes } from "./routes/keys.js";
import { operationsRoutes } from "./routes/operations.js";
import { priceRoutes } from "./routes/prices.js";
import { spanRoutes } from "./routes/spans.js";
import { timeseriesRoutes } from "./routes/timeseries.js";
import { traceSummaryRoutes } from "./routes/trace-summary.js";
import { traceRoutes } from "./routes/traces.js";
import { uiRoutes } from "./routes/ui.js";

export interface ApiDeps {
  /**
   * Clients passed in stay the caller's to close; those the API creates it closes itself. A pool
   * passed in serves reads over spans too; otherwise those get a pool of their own.
   */
  pool?: pg.Pool;
  redis?: Redis;
  log?: Logger;
  pipeline?: IngestPipeline;
}

function createStore(config: ApiConfig, deps: ApiDeps, log: Logger, metrics: ApiMetrics): CacheStore {
  const redis = deps.redis ?? (config.REDIS_URL ? connectRedis(config.REDIS_URL, config.API_REDIS_TIMEOUT_MS) : undefined);
  if (!redis) {
    metrics.redisUp.set(0);
    return new MemoryStore(config.API_MEMORY_CACHE_MAX_ENTRIES);
  }
  return new RedisStore(redis, {
    prefix: config.API_REDIS_KEY_PREFIX,
    log,
    onAvailability: (up) => metrics.redisUp.set(up ? 1 : 0),
    ownsClient: !deps.redis,
    localCopyBytes: config.API_CACHE_LOCAL_COPY_MB * 1024 * 1024,
  });
}

/**
 * The read pool's server settings. TimescaleDB: no runtime chunk exclusion. The trace list looks
 * up each listed root's trace in a nested loop, and deciding at every lookup which of the range's
 * chunks to skip cost more than probing each chunk's primary key (a million spans: the 7-day list
 * 30 → 13 ms, the 30-day one 47 → 26 ms). Exclusion by a statement's parameters (the tree's
 * window) happens at startup and stays. Plain PostgreSQL keeps the name as an unused placeholder.
 */
export const READ_SETTINGS = { "timescaledb.enable_runtime_exclusion": "off" };

/** How long the API trusts its last reading of where compressed history ends. */
export const HISTORY_TTL_MS = 60_000;

/** The query API as a fastify instance (not listening yet); `close()` releases what it created. */
export async function buildApi(config: ApiConfig, deps: ApiDeps = {}) {
  const log = deps.log ?? createLogger("api", config.LOG_LEVEL);
  const pool =
    deps.pool ?? createPool(config.DATABASE_URL, { max: config.API_DB_POOL_MAX, applicationName: "observatory-api", statementTimeoutMs: config.API_STATEMENT_TIMEOUT_MS });
  const readPool =
    deps.pool ??
    createPool(config.DATABASE_URL, {
      max: config.API_DB_READ_POOL_MAX,
      applicationName: "observatory-api-reads",
      statementTimeoutMs: config.API_STATEMENT_TIMEOUT_MS,
      settings: READ_SETTINGS,
    });
  const reads = new ProjectReads({ pool: readPool, control: pool, perProject: config.API_READS_PER_PROJECT });
  const history = new CompressedHistory(pool, HISTORY_TTL_MS);
  const metrics = new ApiMetrics();
  const store = createStore(config, deps, log, metrics);
  const pipeline =
    deps.pipeline ??
    new IngestPipeline({
      writer: new SpanWriter(pool),
      prices: new PriceBook(pool, config.API_PRICE_REFRESH_SECONDS * 1000),
      capacitySpans: config.API_INGEST_QUEUE_MAX_SPANS,
      batchMaxSpans: 5_000,
      batchMaxWaitMs: 50,
      // One writer: bulk ingest belongs to the collector; this endpoint serves the native SDKs.
      writers: 1,
      log,
      hooks: {
        batchWritten: (_spans, _seconds, result) => {
          for (const g of result.groups) if (g.costUsd > 0) metrics.ingestedCost.inc(metrics.modelLabels.labels(g.provider, g.model), g.costUsd);
        },
      },
    });

  const app = Fastify({
    loggerInstance: log,
    bodyLimit: config.API_MAX_BODY_BYTES,
    // Unknown query parameters are an error (400 naming them), not silently dropped; types are
    // not coerced (query numbers are parsed strictly by parseQueryNumbers).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  app.setErrorHandler(sendError);
  // Routes that take no query parameters refuse unknown ones too. (`properties: {}`: without it the
  // OpenAPI document lists "type" and "additionalProperties" as query parameters of these routes.)
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/") && !route.schema?.querystring) {
      route.schema = { ...route.schema, querystring: { type: "object", additionalProperties: false, properties: {} } };
    }
  });
  app.addHook("onClose", async () => {
    if (!deps.pipeline) await pipeline.close();
    await store.close();
    if (!deps.pool) await Promise.all([pool.end(), readPool.end()]);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: "LLM Observatory query API", version: "1" },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "Authorization: Bearer <API key>" },
          apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  await app.register(requestMetricsPlugin, { metrics });
  await app.register(authPlugin, {
    resolver: new ApiKeyResolver(pool, config.API_KEY_CACHE_SECONDS * 1000),
    ...(config.BOOTSTRAP_ADMIN_KEY ? { bootstrapKey: config.BOOTSTRAP_ADMIN_KEY } : {}),
  });
  app.addHook("preValidation", parseQueryNumbers);
  app.addHook("preHandler", rejectNonFinite);
  await app.register(rateLimitPlugin, { store, perMinute: config.API_RATE_LIMIT_PER_MINUTE, metrics });
  // Before the cache's onSend, so an answer over the limit is never cached.
  await app.register(answerLimitPlugin, { maxBytes: config.API_MAX_ANSWER_BYTES });
  await app.register(responseCachePlugin, { store, metrics });

  await app.register(operationsRoutes, { probe: new ReachabilityProbe(pool), store, metrics });
  await app.register(spanRoutes, { pipeline });
  for (const routes of [traceRoutes, traceSummaryRoutes, timeseriesRoutes, costRoutes, priceRoutes, keyRoutes, keyListRoutes]) {
    await app.register(routes, { pool, reads, history, config });
  }
  await app.register(uiRoutes);
  return app;
}

export type Api = Awaited<ReturnType<typeof buildApi>>;
