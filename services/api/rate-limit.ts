import fp from "fastify-plugin";
import { sendProblem } from "./errors.js";
import type { CacheStore } from "./cache/store.js";
import type { ApiMetrics } from "./metrics.js";
import "./route-config.js";

export interface RateLimitOptions {
  store: CacheStore;
  perMinute: number;
  metrics: ApiMetrics;
}

/**
 * A token bucket per API key (capacity = the per-minute rate, refilled continuously), answered
 * with the IETF RateLimit headers; an empty bucket is a 429 with Retry-After. While the store is
 * unreachable requests pass unlimited (the store logs the outage).
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app, { store, perMinute, metrics }) => {
    const rule = { capacity: perMinute, refillPerSecond: perMinute / 60 };
    app.addHook("onRequest", async (request, reply) => {
      if (!request.principal) return;
      const bucket = await store.take(`rl:${request.principal.keyId}`, rule);
      if (!bucket) return;
      reply.header("ratelimit-limit", rule.capacity);
      reply.header("ratelimit-remaining", bucket.remaining);
      reply.header("ratelimit-reset", Math.ceil(bucket.resetMs / 1000));
      if (bucket.allowed) return;
      metrics.rateLimited.inc();
      reply.header("retry-after", Math.max(1, Math.ceil(bucket.retryAfterMs / 1000)));
      return sendProblem(reply, 429, `rate limit of ${perMinute} requests per minute exceeded`);
    });
  },
  { name: "observatory-rate-limit", dependencies: ["observatory-auth"] },
);
