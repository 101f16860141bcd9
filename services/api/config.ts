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
  /** Token bucket per API key: sustained requests per minute (also the burst). */
  API_RATE_LIMIT_PER_MINUTE: positiveInt(600),
  API_MAX_BODY_BYTES: positiveInt(1024 * 1024),
});

export type ApiConfig = z.output<typeof apiEnv>;
