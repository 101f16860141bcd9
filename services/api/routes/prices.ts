import type { FastifyPluginAsync } from "fastify";
import { isDeploymentAdmin } from "../auth.js";
import { likePatternProblem, likeToRegExp } from "../../core/pricing.js";
import { BadParameter, sendProblem } from "../errors.js";
import { type NewPrice, deletePriceQuery, insertPriceQuery, priceListQuery } from "../queries/prices.js";
import type { RouteDeps } from "./deps.js";
import { dateTime, errorResponses, security, text } from "./schemas.js";

const price = {
  type: "object",
  properties: {
    id: { type: "string" },
    provider: { type: "string" },
    model_pattern: { type: "string" },
    input_per_mtok: { type: "number" },
    output_per_mtok: { type: "number" },
    cached_input_per_mtok: { type: ["number", "null"] },
    effective_from: { type: "string", format: "date-time" },
    source: { type: "string" },
  },
} as const;

/** 10000-01-01T00:00:00Z: PostgreSQL holds any earlier time (but no year 0). */
const LAST_DAY = Date.UTC(10_000, 0, 1);

// numeric(12, 6): below a million USD per million tokens, in millionths.
const usdPerMtok = { type: "number", minimum: 0, maximum: 999_999, multipleOf: 0.000001 } as const;

export const priceRoutes: FastifyPluginAsync<RouteDeps> = async (app, { pool, config }) => {
  app.get<{ Querystring: { provider?: string; model?: string } }>(
    "/api/v1/prices",
    {
      schema: {
        summary: "Model prices (USD per million tokens, effective-dated; the same for every project)",
        tags: ["prices"],
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            provider: { ...text, description: "provider equals" },
            model: { ...text, description: "rows whose pattern matches this model name" },
          },
        },
        response: { 200: { type: "object", properties: { prices: { type: "array", items: price } } }, ...errorResponses },
      },
      config: { scope: "read", cacheTtlSeconds: config.API_CACHE_TTL_PRICES_SECONDS },
    },
    async (request) => {
      const { rows } = await pool.query(priceListQuery(request.query));
      const model = request.query.model;
      return { prices: model === undefined ? rows : rows.filter((r) => likeToRegExp(r.model_pattern).test(model)) };
    },
  );

  app.post<{ Body: NewPrice }>(
    "/api/v1/prices",
    {
      schema: {
        summary: "Add an effective-dated price (admins of the default project: prices are deployment-wide)",
        description: "Spans are priced when they are ingested: a new price applies to spans stored after it, not to stored ones.",
        tags: ["prices"],
        security,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["provider", "model_pattern", "input_per_mtok", "output_per_mtok", "effective_from", "source"],
          properties: {
            provider: text,
            model_pattern: { ...text, description: "LIKE pattern (% any run, _ one character, \\\\ escapes the next one)" },
            input_per_mtok: usdPerMtok,
            output_per_mtok: usdPerMtok,
            cached_input_per_mtok: usdPerMtok,
            effective_from: dateTime,
            source: { ...text, maxLength: 1000, description: "where the price was published" },
          },
        },
        response: { 201: price, 409: { type: "object", additionalProperties: true }, ...errorResponses },
      },
      config: { scope: "admin" },
    },
    async (request, reply) => {
      if (!isDeploymentAdmin(request.principal!)) return sendProblem(reply, 403, "prices are deployment-wide: only admins of the default project may add them");
      const patternProblem = likePatternProblem(request.body.model_pattern);
      if (patternProblem) throw new BadParameter("model_pattern", patternProblem);
      const from = Date.parse(request.body.effective_from);
      if (!(from >= 0 && from < LAST_DAY)) throw new BadParameter("effective_from", "must be from 1970-01-01 to 9999-12-31");
      const { rows } = await pool.query(insertPriceQuery(request.body));
      if (rows.length === 0) return sendProblem(reply, 409, "a price for this provider, pattern and date exists");
      return reply.code(201).send(rows[0]);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/v1/prices/:id",
    {
      schema: {
        summary: "Delete a price (admins of the default project); to correct one, delete it and add the right one",
        description: "Spans already stored keep the cost they were priced at; ingest stops using the price within the price refresh interval.",
        tags: ["prices"],
        security,
        params: { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^[1-9][0-9]{0,17}$" } } },
        response: { 204: { type: "null" }, 404: { type: "object", additionalProperties: true }, ...errorResponses },
      },
      config: { scope: "admin" },
    },
    async (request, reply) => {
      if (!isDeploymentAdmin(request.principal!)) return sendProblem(reply, 403, "prices are deployment-wide: only admins of the default project may delete them");
      const { rowCount } = await pool.query(deletePriceQuery(request.params.id));
      if (rowCount === 0) return sendProblem(reply, 404, "no such price");
      request.log.info({ priceId: request.params.id }, "price deleted");
      return reply.code(204).send();
    },
  );
};
