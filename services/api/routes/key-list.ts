import type { FastifyPluginAsync } from "fastify";
import type { RouteDeps } from "./deps.js";
import { errorResponses, security } from "./schemas.js";

const scopes = { type: "array", items: { type: "string", enum: ["ingest", "read", "admin"] } } as const;

/** Who a key is (the UI signs in with it) and the keys of its project (never their secrets). */
export const keyListRoutes: FastifyPluginAsync<RouteDeps> = async (app, { pool }) => {
  app.get(
    "/api/v1/keys/current",
    {
      schema: {
        summary: "The calling key: its project and scopes",
        tags: ["keys"],
        security,
        response: { 200: { type: "object", properties: { key_id: { type: "string" }, project_id: { type: "string" }, scopes } }, ...errorResponses },
      },
      config: { scope: "read" },
    },
    async (request) => {
      const { keyId, projectId, scopes: granted } = request.principal!;
      return { key_id: keyId, project_id: projectId, scopes: granted };
    },
  );

  app.get(
    "/api/v1/keys",
    {
      schema: {
        summary: "The keys of the caller's project, newest first (prefixes only; revoked ones too)",
        tags: ["keys"],
        security,
        response: {
          200: {
            type: "object",
            properties: {
              keys: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string" },
                    name: { type: "string" },
                    key_prefix: { type: "string" },
                    scopes,
                    created_at: { type: "string", format: "date-time" },
                    revoked_at: { type: ["string", "null"], format: "date-time" },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
      config: { scope: "admin" },
    },
    async (request) => {
      const { rows } = await pool.query(
        `SELECT id::text AS id, name, key_prefix, scopes, created_at, revoked_at FROM api_keys
         WHERE project_id = $1 ORDER BY created_at DESC, id LIMIT 1000`,
        [request.principal!.projectId],
      );
      return { keys: rows };
    },
  );
};
