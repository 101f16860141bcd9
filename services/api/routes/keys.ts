import type { FastifyPluginAsync } from "fastify";
import { SCOPES, type Scope, createApiKey, keyPrefix } from "../../core/api-keys.js";
import { isDeploymentAdmin } from "../auth.js";
import { sendProblem } from "../errors.js";
import type { RouteDeps } from "./deps.js";
import { errorResponses, security, text } from "./schemas.js";

interface NewKey {
  name: string;
  scopes: Scope[];
  project_id?: string;
}

export const keyRoutes: FastifyPluginAsync<RouteDeps> = async (app, { pool }) => {
  app.post<{ Body: NewKey }>(
    "/api/v1/keys",
    {
      schema: {
        summary: "Create an API key (the plaintext key is in this answer only)",
        description:
          "The key belongs to the caller's project. Admins of the default project may name another project_id, which is created if new.",
        tags: ["keys"],
        security,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["name", "scopes"],
          properties: {
            name: text,
            scopes: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: SCOPES } },
            project_id: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,62}$" },
          },
        },
        response: {
          201: {
            type: "object",
            properties: {
              id: { type: "string" },
              key: { type: "string" },
              key_prefix: { type: "string" },
              project_id: { type: "string" },
              name: { type: "string" },
              scopes: { type: "array", items: { type: "string" } },
            },
          },
          ...errorResponses,
        },
      },
      config: { scope: "admin" },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const projectId = request.body.project_id ?? principal.projectId;
      if (projectId !== principal.projectId && !isDeploymentAdmin(principal)) {
        return sendProblem(reply, 403, "only admins of the default project may create keys for other projects");
      }
      await pool.query("INSERT INTO projects (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING", [projectId]);
      const { id, key } = await createApiKey(pool, projectId, request.body.name, request.body.scopes);
      request.log.info({ keyId: id, projectId, scopes: request.body.scopes }, "API key created");
      return reply.code(201).send({ id, key, key_prefix: keyPrefix(key), project_id: projectId, name: request.body.name, scopes: request.body.scopes });
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/keys/:id",
    {
      schema: {
        summary: "Revoke an API key (it stops working within API_KEY_CACHE_SECONDS)",
        tags: ["keys"],
        security,
        params: { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" } } },
        response: { 204: { type: "null" }, 404: { type: "object", additionalProperties: true }, ...errorResponses },
      },
      config: { scope: "admin" },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const { rowCount } = await pool.query(
        "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR project_id = $2)",
        [request.params.id, isDeploymentAdmin(principal) ? null : principal.projectId],
      );
      if (rowCount === 0) return sendProblem(reply, 404, "no such active key in this project");
      request.log.info({ keyId: request.params.id }, "API key revoked");
      return reply.code(204).send();
    },
  );
};
