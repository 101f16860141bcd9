import { z } from "zod";
import { flag, logLevel, port, positiveInt, postgresUrl } from "../core/env.js";

/** Environment of the OTLP collector (one source of truth: infra/ builds the container env from this). */
export const collectorEnv = z.object({
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: logLevel,
  /** Address both OTLP listeners bind; `npm start` uses 127.0.0.1. */
  COLLECTOR_HOST: z.string().min(1).default("0.0.0.0"),
  OTLP_GRPC_PORT: port(4317),
  OTLP_HTTP_PORT: port(4318),
  /** Largest accepted export body, compressed or not (bytes). */
  COLLECTOR_MAX_BODY_BYTES: positiveInt(4 * 1024 * 1024),
  /** Spans held in memory before exports get backpressure. */
  COLLECTOR_QUEUE_MAX_SPANS: positiveInt(20_000),
  COLLECTOR_BATCH_MAX_SPANS: positiveInt(5_000),
  /** How long a small batch waits for company while another is being written; longer idles a free writer. */
  COLLECTOR_BATCH_MAX_WAIT_MS: positiveInt(20),
  /** Batches written concurrently, one database connection each. */
  COLLECTOR_WRITERS: positiveInt(2),
  /** A database statement (a batch write, a key lookup) running longer is cancelled and retried later. */
  COLLECTOR_STATEMENT_TIMEOUT_MS: positiveInt(10_000),
  /** Seconds between reloads of model_prices. */
  COLLECTOR_PRICE_REFRESH_SECONDS: positiveInt(60),
  /** On SIGTERM: how long to drain before giving up (unacknowledged exports are retried by clients). */
  COLLECTOR_SHUTDOWN_TIMEOUT_SECONDS: positiveInt(30),
  /** Dev only: accept exports without an API key, into COLLECTOR_DEFAULT_PROJECT. */
  COLLECTOR_AUTH_DISABLED: flag(false),
  COLLECTOR_DEFAULT_PROJECT: z.string().min(1).default("default"),
  /** Seconds an API-key lookup is cached. */
  COLLECTOR_KEY_CACHE_SECONDS: positiveInt(60),
});

export type CollectorConfig = z.output<typeof collectorEnv>;
