import type { FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { CacheStore, Tagged } from "./cache/store.js";
import { canonical, digest } from "./canonical.js";
import type { ApiMetrics } from "./metrics.js";
import "./route-config.js";

function etagMatches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers["if-none-match"];
  if (!header) return false;
  return header === "*" || header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

function cacheRoute(request: FastifyRequest): { route: string; ttl: number } | null {
  const ttl = request.routeOptions.config.cacheTtlSeconds;
  return ttl && request.principal ? { route: request.routeOptions.url ?? "", ttl } : null;
}

/**
 * The cache key of a request to a cacheable route, from the validated parameters (so only known
 * after validation), remembered on the request; null for other routes.
 */
export function responseCacheKey(request: FastifyRequest): string | null {
  if (request.cacheKey) return request.cacheKey;
  const c = cacheRoute(request);
  if (!c) return null;
  request.cacheKey = `resp:${c.route}:${request.principal!.projectId}:${digest(canonical({ p: request.params, q: request.query }))}`;
  return request.cacheKey;
}

/** A stored response: its body's bytes as sent, tagged with its ETag. */
function sendCached(reply: FastifyReply, request: FastifyRequest, cached: Tagged, ttl: number): FastifyReply {
  reply.header("etag", cached.tag).header("cache-control", `private, max-age=${ttl}`).header("x-cache", "hit");
  if (etagMatches(request, cached.tag)) return reply.code(304).send();
  return reply.type("application/json; charset=utf-8").send(cached.value);
}

export interface ResponseCacheOptions {
  store: CacheStore;
  metrics: ApiMetrics;
}

/**
 * Caches the JSON of routes that declare `cacheTtlSeconds`, keyed by route, the caller's project
 * and the validated parameters; every such response carries an ETag and a matching
 * If-None-Match gets 304. With the store unreachable, responses are computed (x-cache: bypass).
 */
export const responseCachePlugin = fp<ResponseCacheOptions>(
  async (app, { store, metrics }) => {
    app.decorateRequest("cacheKey", null);
    app.decorateRequest("cacheRead", null);
    app.decorateRequest("cacheWrite", null);

    app.addHook("preHandler", async (request, reply) => {
      const c = cacheRoute(request);
      if (!c) return;
      const key = responseCacheKey(request)!;
      const read = request.cacheRead ?? (await store.get(key));
      if (read.status === "hit") {
        metrics.cacheHits.inc({ route: c.route });
        return sendCached(reply, request, read, c.ttl);
      }
      metrics.cacheMisses.inc({ route: c.route });
      reply.header("x-cache", read.status === "miss" ? "miss" : "bypass");
    });

    app.addHook("onSend", async (request, reply, payload) => {
      const c = cacheRoute(request);
      if (!c || reply.statusCode !== 200 || typeof payload !== "string" || reply.getHeader("x-cache") === "hit") return payload;
      // Encoded once, for the ETag, the store and the socket alike.
      const body = Buffer.from(payload);
      const etag = `"${digest(body, 27)}"`;
      request.cacheWrite = { tag: etag, value: body };
      reply.header("etag", etag).header("cache-control", `private, max-age=${c.ttl}`);
      if (!etagMatches(request, etag)) return body;
      reply.code(304);
      return null;
    });

    // Stored once the answer is sent, so the caller never waits for the write. Not awaited: the
    // store never throws (and skips the write while unreachable).
    app.addHook("onResponse", async (request) => {
      if (request.cacheWrite) void store.set(responseCacheKey(request)!, request.cacheWrite, cacheRoute(request)!.ttl);
    });
  },
  { name: "observatory-response-cache", dependencies: ["observatory-auth"] },
);
