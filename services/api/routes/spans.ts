import type { FastifyPluginAsync } from "fastify";
import { BackpressureError, OversizedSubmitError, type IngestPipeline } from "../../core/pipeline.js";
import type { RawSpan } from "../../core/span.js";
import { sendProblem } from "../errors.js";
import { decodeNativeSpan } from "../native-span.js";
import { errorResponses, problem, security } from "./schemas.js";

/** Spans one request may carry (the body size limit applies as well). */
export const MAX_SPANS_PER_REQUEST = 10_000;

export const spanRoutes: FastifyPluginAsync<{ pipeline: IngestPipeline }> = async (app, { pipeline }) => {
  app.post<{ Body: unknown }>(
    "/api/v1/spans",
    {
      schema: {
        summary: "Ingest spans in the original LLM Observatory's native JSON (one span or an array)",
        description:
          "Decoded, normalized, priced and written like OTLP exports to the collector; answered once the spans are committed. " +
          "Spans that cannot be stored are counted in `rejected`, the rest are stored.",
        tags: ["ingest"],
        security,
        body: {
          oneOf: [
            { type: "object" },
            { type: "array", minItems: 1, maxItems: MAX_SPANS_PER_REQUEST, items: { type: "object" } },
          ],
        },
        response: {
          200: {
            type: "object",
            properties: { accepted: { type: "integer" }, rejected: { type: "integer" }, error_message: { type: "string" } },
          },
          413: problem,
          503: problem,
          ...errorResponses,
        },
      },
      config: { scope: "ingest" },
    },
    async (request, reply) => {
      const items = Array.isArray(request.body) ? request.body : [request.body];
      const spans: RawSpan[] = [];
      const problems: string[] = [];
      items.forEach((item, i) => {
        const decoded = decodeNativeSpan(item);
        if (decoded.ok) spans.push(decoded.span);
        else problems.push(`span ${i}: ${decoded.message}`);
      });
      if (spans.length === 0) return sendProblem(reply, 400, problems.slice(0, 5).join("; "), { parameter: "body" });
      try {
        const result = await pipeline.submit(request.principal!.projectId, spans);
        const messages = [...problems.slice(0, 5), ...(result.errorMessage ? [result.errorMessage] : [])];
        return {
          accepted: result.accepted,
          rejected: result.rejected + problems.length,
          ...(messages.length > 0 ? { error_message: messages.join("; ") } : {}),
        };
      } catch (err) {
        if (err instanceof OversizedSubmitError) return sendProblem(reply, 413, err.message);
        if (!(err instanceof BackpressureError)) throw err;
        reply.header("retry-after", err.retryAfterSeconds);
        return sendProblem(reply, err.reason === "queue_full" ? 429 : 503, err.message);
      }
    },
  );
};
