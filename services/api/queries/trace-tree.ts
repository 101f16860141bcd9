import { type Query, isoMicros } from "./sql.js";

/** Spans a tree shows at most; a larger trace is cut (and says so). */
export const MAX_TREE_SPANS = 10_000;

/** Where the spans of a trace are looked for: start times in [from, to); either side may be open. */
export interface TreeWindow {
  from?: Date;
  to?: Date;
}

/**
 * Every span of one trace of one project, in start order, through the primary key (trace id,
 * start time, ...): with the trace id fixed the key yields the spans in the order asked, so no
 * index on (project_id, start_time) competes, whatever the statistics. The project is matched
 * with `=` so that TimescaleDB looks only at that project's compressed batches (segmented by it).
 *
 * A trace id carries no time: without a window the lookup visits every chunk of the retention,
 * hence a prepared statement (planning 31 chunks cost more than the lookup). With one (the UI
 * passes the listed trace's), TimescaleDB skips every chunk and compressed batch outside it.
 */
export function traceSpansQuery(projectId: string, traceId: string, window: TreeWindow = {}): Query {
  const bounded = window.from !== undefined || window.to !== undefined;
  return {
    text: `
SELECT span_id, parent_span_id, name, kind, service_name, environment, ${isoMicros("start_time")} AS start_time,
       ${isoMicros("end_time")} AS end_time, duration_ms,
       status_code, status_message, operation, provider, request_model, response_model,
       input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, total_tokens,
       cost_usd::text AS cost_usd, finish_reasons, user_id, session_id, attributes, resource_attributes, events
FROM spans
WHERE trace_id = $2 AND project_id = $1${bounded ? " AND start_time >= $3 AND start_time < $4" : ""}
ORDER BY spans.start_time, span_id
LIMIT ${MAX_TREE_SPANS + 1}`,
    values: bounded ? [projectId, traceId, window.from ?? "-infinity", window.to ?? "infinity"] : [projectId, traceId],
    name: bounded ? "trace-spans-window" : "trace-spans",
  };
}
