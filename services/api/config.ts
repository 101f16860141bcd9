import { z } from "zod";
import { logLevel, port, positiveInt, postgresUrl, redisUrl } from "../core/env.js";

/** Environment of the query API (one source of truth: infra/ builds the container env from this). */
export const apiEnv = z.object({
  DATABASE_URL: postgresUrl,
  /** Unset: an in-process cache and per-process rate limits. */
  REDIS_URL: redisUrl.optional(),
  LOG_LEVEL: logLevel,
  API_HOST: z.string().default("0.0.0.0"),
  API_PORT: port(8080),
  /** Admin key accepted for the default project; a secret in the stack. */
  BOOTSTRAP_ADMIN_KEY: z.string().min(24).optional(),
  /** Widest time range a query may ask for. */
  API_MAX_RANGE_DAYS: positiveInt(90),
  /** Most points one time series may hold (range / interval), so 1m over months is refused. */
  API_MAX_SERIES_POINTS: positiveInt(10_080),
  /** Token bucket per API key: sustained requests per minute (also the burst). */
  API_RATE_LIMIT_PER_MINUTE: positiveInt(600),
  API_MAX_BODY_BYTES: positiveInt(1024 * 1024),
  /** Largest answer the API sends; a larger one is refused with 422 (docs/limits.md). */
  API_MAX_ANSWER_BYTES: positiveInt(16 * 1024 * 1024),
  /** Connections for authentication, prices, keys, native ingest and readiness. */
  API_DB_POOL_MAX: positiveInt(10),
  /** Connections for reads over spans (trace list and tree, time series, costs), apart from the others. */
  API_DB_READ_POOL_MAX: positiveInt(8),
  /** Reads over spans one project may run at once; more wait for a turn (then 503 + Retry-After). */
  API_READS_PER_PROJECT: positiveInt(2),
  /** A database statement running longer is cancelled on the server and answered 503 + Retry-After. */
  API_STATEMENT_TIMEOUT_MS: positiveInt(10_000),
  /** Seconds an API-key lookup is remembered (a revoked key stops working within this time). */
  API_KEY_CACHE_SECONDS: positiveInt(30),
  /** Response cache lifetimes per endpoint, in seconds. */
  API_CACHE_TTL_TRACES_SECONDS: positiveInt(10),
  API_CACHE_TTL_TRACE_SECONDS: positiveInt(60),
  API_CACHE_TTL_TIMESERIES_SECONDS: positiveInt(30),
  API_CACHE_TTL_COSTS_SECONDS: positiveInt(60),
  API_CACHE_TTL_PRICES_SECONDS: positiveInt(300),
  /** Spans POST /api/v1/spans holds before answering 429 (the ingest queue's bound). */
  API_INGEST_QUEUE_MAX_SPANS: positiveInt(20_000),
  /** Seconds between reloads of model_prices for pricing ingested spans. */
  API_PRICE_REFRESH_SECONDS: positiveInt(60),
  /** Prefix of every Redis key the API writes, so several deployments can share one Redis. */
  API_REDIS_KEY_PREFIX: z.string().min(1).default("obs:api:"),
  /** A Redis command slower than this is abandoned: the request goes on uncached. */
  API_REDIS_TIMEOUT_MS: positiveInt(250),
  /** Memory for copies of cached responses, so Redis need not resend one this replica holds. */
  API_CACHE_LOCAL_COPY_MB: positiveInt(32),
  /** Entries of the in-process cache used when REDIS_URL is unset. */
  API_MEMORY_CACHE_MAX_ENTRIES: positiveInt(10_000),
});

export type ApiConfig = z.output<typeof apiEnv>;
