import type { FastifyPluginAsync } from "fastify";
import { BackpressureError, OversizedSubmitError, type IngestPipeline, type SpanIssue } from "../../core/pipeline.js";
import type { RawSpan } from "../../core/span.js";
import { sendProblem } from "../errors.js";
import { decodeNativeSpan } from "../native-span.js";
import { errorResponses, problem, security } from "./schemas.js";

/** Spans one request may carry (the body size limit applies as well). */
export const MAX_SPANS_PER_REQUEST = 10_000;

/** The first few issues as one line ("span 3: message; ..."); the lists carry them all. */
function summary(issues: SpanIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `span ${i.index}: ${i.message}`);
  return issues.length > 5 ? `${shown.join("; ")}; and ${issues.length - 5} more` : shown.join("; ");
}

const issueList = {
  type: "array",
  items: { type: "object", properties: { index: { type: "integer" }, message: { type: "string" } } },
} as const;

export const spanRoutes: FastifyPluginAsync<{ pipeline: IngestPipeline }> = async (app, { pipeline }) => {
  app.post<{ Body: unknown }>(
    "/api/v1/spans",
    {
      schema: {
        summary: "Ingest spans in the original LLM Observatory's native JSON (one span or an array)",
        description:
          "Decoded, normalized, priced and written like OTLP exports to the collector; answered once the spans are committed. " +
          "Spans that cannot be stored are counted in `rejected` and listed in `errors`, the rest are stored; `warnings` lists values that were ignored or cut.",
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
            properties: {
              accepted: { type: "integer" },
              rejected: { type: "integer" },
              error_message: { type: "string" },
              errors: { ...issueList, description: "each rejected span (index in the request) and why" },
              warnings: { ...issueList, description: "what was changed on stored spans: values ignored, limits applied" },
            },
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
      /** The request index of each decoded span. */
      const positions: number[] = [];
      const problems: SpanIssue[] = [];
      items.forEach((item, index) => {
        const decoded = decodeNativeSpan(item);
        if (decoded.ok) spans.push(decoded.span), positions.push(index);
        else problems.push({ index, message: decoded.message });
      });
      if (spans.length === 0) return sendProblem(reply, 400, summary(problems), { parameter: "body", errors: problems });
      try {
        const result = await pipeline.submit(request.principal!.projectId, spans);
        const inRequest = (issues: SpanIssue[] = []) => issues.map((i) => ({ index: positions[i.index]!, message: i.message }));
        const errors = [...problems, ...inRequest(result.errors)].sort((x, y) => x.index - y.index);
        const warnings = inRequest(result.warnings);
        return {
          accepted: result.accepted,
          rejected: errors.length,
          ...(errors.length + warnings.length > 0 ? { error_message: summary([...errors, ...warnings]) } : {}),
          ...(errors.length > 0 ? { errors } : {}),
          ...(warnings.length > 0 ? { warnings } : {}),
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
