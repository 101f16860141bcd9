import type { FastifyReply } from "fastify";
import fp from "fastify-plugin";
import { sendProblem } from "./errors.js";
import type { BucketState, CacheStore } from "./cache/store.js";
import type { ApiMetrics } from "./metrics.js";
import { responseCacheKey } from "./response-cache.js";
import "./route-config.js";

export interface RateLimitOptions {
  store: CacheStore;
  perMinute: number;
  metrics: ApiMetrics;
}

/**
 * A token bucket per API key (capacity = the per-minute rate, refilled continuously), answered
 * with the IETF RateLimit headers; an empty bucket is a 429 with Retry-After. While the store is
 * unreachable requests pass unlimited (the store logs the outage). On cacheable routes the token
 * is taken once the parameters are validated, in the same store round trip as the cache lookup
 * (the response cache then uses that read); elsewhere as soon as the caller is known.
 */
export const rateLimitPlugin = fp<RateLimitOptions>(
  async (app, { store, perMinute, metrics }) => {
    const rule = { capacity: perMinute, refillPerSecond: perMinute / 60 };

    function apply(reply: FastifyReply, bucket: BucketState | null): FastifyReply | undefined {
      if (!bucket) return undefined;
      reply.header("ratelimit-limit", rule.capacity);
      reply.header("ratelimit-remaining", bucket.remaining);
      reply.header("ratelimit-reset", Math.ceil(bucket.resetMs / 1000));
      if (bucket.allowed) return undefined;
      metrics.rateLimited.inc();
      reply.header("retry-after", Math.max(1, Math.ceil(bucket.retryAfterMs / 1000)));
      return sendProblem(reply, 429, `rate limit of ${perMinute} requests per minute exceeded`);
    }

    app.addHook("onRequest", async (request, reply) => {
      if (!request.principal || request.routeOptions.config.cacheTtlSeconds) return;
      return apply(reply, await store.take(`rl:${request.principal.keyId}`, rule));
    });

    app.addHook("preHandler", async (request, reply) => {
      const cacheKey = request.principal && responseCacheKey(request);
      if (!cacheKey) return;
      const { bucket, read } = await store.takeAndGet(`rl:${request.principal!.keyId}`, rule, cacheKey);
      request.cacheRead = read;
      return apply(reply, bucket);
    });
  },
  { name: "observatory-rate-limit", dependencies: ["observatory-auth"] },
);
