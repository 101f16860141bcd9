import { type Query, isoMicros } from "./sql.js";

/** Spans a tree shows at most; a larger trace is cut (and says so). */
export const MAX_TREE_SPANS = 10_000;

/**
 * Every span of one trace of one project, in start order, through the primary key (trace id
 * first): the project is matched with IS NOT DISTINCT FROM, which no index serves, so an index
 * on (project_id, start_time) is never taken for it, whatever the statistics. A trace id carries
 * no time, so on TimescaleDB the lookup visits every chunk: planning them all cost more than the
 * lookup itself (9 of 18 ms on 31 chunks, compressed), hence a prepared statement.
 */
export function traceSpansQuery(projectId: string, traceId: string): Query {
  return {
    text: `
SELECT span_id, parent_span_id, name, kind, service_name, environment, ${isoMicros("start_time")} AS start_time,
       ${isoMicros("end_time")} AS end_time, duration_ms,
       status_code, status_message, operation, provider, request_model, response_model,
       input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens,
       cost_usd::text AS cost_usd, finish_reasons, user_id, session_id, attributes, resource_attributes, events
FROM spans
WHERE trace_id = $2 AND project_id IS NOT DISTINCT FROM $1
ORDER BY spans.start_time, span_id
LIMIT ${MAX_TREE_SPANS + 1}`,
    values: [projectId, traceId],
    name: "trace-spans",
  };
}
