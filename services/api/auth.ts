import { timingSafeEqual } from "node:crypto";
import type { FastifyReply } from "fastify";
import fp from "fastify-plugin";
import { type ApiKeyResolver, type Principal, hasScope, hashApiKey, keyFromHeaders } from "../core/api-keys.js";
import { sendProblem } from "./errors.js";
import "./route-config.js";

/** The project the bootstrap admin key belongs to; its admins also administer the deployment. */
export const BOOTSTRAP_PROJECT = "default";

const BOOTSTRAP: Principal = { keyId: "bootstrap", projectId: BOOTSTRAP_PROJECT, scopes: ["admin"] };

/** Deployment-wide settings (prices, other projects' keys) belong to the default project's admins. */
export function isDeploymentAdmin(p: Principal): boolean {
  return p.projectId === BOOTSTRAP_PROJECT && p.scopes.includes("admin");
}

function unauthorized(reply: FastifyReply, message: string): FastifyReply {
  return sendProblem(reply.header("www-authenticate", 'Bearer realm="observatory"'), 401, message);
}

export interface AuthOptions {
  resolver: ApiKeyResolver;
  bootstrapKey?: string;
}

/**
 * Resolves the API key of every route that declares a scope, and refuses the request without a
 * valid key (401) or without the scope (403). The principal's project then scopes every query.
 */
export const authPlugin = fp<AuthOptions>(
  async (app, { resolver, bootstrapKey }) => {
    const bootstrapHash = bootstrapKey ? hashApiKey(bootstrapKey) : null;
    app.decorateRequest("principal", null);
    app.addHook("onRequest", async (request, reply) => {
      const scope = request.routeOptions.config.scope;
      if (!scope) return;
      const key = keyFromHeaders(request.headers);
      if (!key) return unauthorized(reply, "an API key is required: Authorization: Bearer <key> or x-api-key: <key>");
      let principal: Principal | null;
      if (bootstrapHash && timingSafeEqual(hashApiKey(key), bootstrapHash)) principal = BOOTSTRAP;
      else {
        try {
          principal = await resolver.resolve(key);
        } catch (err) {
          request.log.error({ err }, "API key lookup failed");
          return sendProblem(reply.header("retry-after", "5"), 503, "the database is unavailable");
        }
      }
      if (!principal) return unauthorized(reply, "unknown or revoked API key");
      if (!hasScope(principal, scope)) return sendProblem(reply, 403, `this key lacks the ${scope} scope`);
      request.principal = principal;
    });
  },
  { name: "observatory-auth" },
);
