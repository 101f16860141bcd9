import type { Principal, Scope } from "../core/api-keys.js";
import type { CacheRead, Tagged } from "./cache/store.js";

/** What a route declares in its `config`, read by the auth, rate-limit and cache hooks. */
declare module "fastify" {
  interface FastifyContextConfig {
    /** Required scope; routes without one are public (health, metrics, docs). */
    scope?: Scope;
    /** Responses are cached for this long, per project and normalized parameters. */
    cacheTtlSeconds?: number;
  }
  interface FastifyRequest {
    /** The caller, set by the auth hook on routes that declare a scope. */
    principal: Principal | null;
    /** Response-cache key of a cacheable request, computed once (see responseCacheKey). */
    cacheKey: string | null;
    /** The cache lookup the rate-limit hook made in the same round trip as taking the token. */
    cacheRead: CacheRead | null;
    /** A computed response to store once it is sent. */
    cacheWrite: Tagged | null;
  }
}
