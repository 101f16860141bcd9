import type { Query } from "./sql.js";
import { type TraceListFilters, traceListQuery } from "./traces.js";

/**
 * Totals over the rows of `list` (listed traces, newest first, at most cap + 1): over its first
 * `cap` rows, and whether there were more (`capped`).
 */
export function summaryOf(list: string, cap: number): string {
  const kept = `FILTER (WHERE n <= ${Math.trunc(cap)})`;
  return `
SELECT count(*) ${kept}::int AS traces,
       coalesce(sum(span_count) ${kept}, 0)::int AS spans,
       count(*) FILTER (WHERE n <= ${Math.trunc(cap)} AND error_count > 0)::int AS error_traces,
       coalesce(sum(input_tokens) ${kept}, 0)::float8 AS input_tokens,
       coalesce(sum(output_tokens) ${kept}, 0)::float8 AS output_tokens,
       coalesce(sum(cost_usd) ${kept}, 0)::float8 AS cost_usd,
       count(*) > ${Math.trunc(cap)} AS capped
FROM (SELECT l.*, row_number() OVER () AS n FROM (${list}) l) numbered`;
}

/**
 * Totals over the traces a list filter matches, counted over its newest `cap` traces at most (the
 * list's own query, so the two always agree); `capped` says whether older ones were left out.
 */
export function traceSummaryQuery(f: Omit<TraceListFilters, "limit" | "after">, cap: number): Query {
  const list = traceListQuery({ ...f, limit: cap + 1 });
  return { text: summaryOf(list.text, cap), values: list.values };
}
