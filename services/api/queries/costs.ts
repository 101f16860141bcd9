import type { TimeRange } from "../time-range.js";
import { DIMENSIONS, type Dimension } from "./dimensions.js";
import { SPANS, type Source, type SourceFilters, needsSpans, rollupParts, sourceWhere } from "./sources.js";
import { Params, type Query } from "./sql.js";

/** Dimensions of the rollups, plus the two only raw spans have. */
export const COST_GROUPS = [...(Object.keys(DIMENSIONS) as Dimension[]), "user", "session"] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

const SPAN_ONLY_GROUPS = { user: "user_id", session: "session_id" } as const;

export interface CostRequest {
  projectId: string;
  groupBy: CostGroup;
  /** Minute-aligned; the previous period is as long and ends where this one starts. */
  range: TimeRange;
  filters: SourceFilters;
  limit: number;
}

export function previousPeriod({ from, to }: TimeRange): TimeRange {
  return { from: new Date(2 * from.getTime() - to.getTime()), to: from };
}

function groupColumn(source: Source, g: CostGroup): string {
  return g === "user" || g === "session" ? `coalesce(${SPAN_ONLY_GROUPS[g]}, '')` : source.column(g);
}

/**
 * Cost, tokens and requests of the period and of the one before it, per group, plus a totals
 * row (`is_total`), the groups sorted by cost. Whole hours come from the hourly rollup, the edge
 * minutes from the per-minute one; grouping by user or session reads raw spans.
 */
export function costSummaryQuery(r: CostRequest): Query {
  const p = new Params();
  const whole: TimeRange = { from: previousPeriod(r.range).from, to: r.range.to };
  const raw = r.groupBy === "user" || r.groupBy === "session" || needsSpans(r.filters);
  const parts = raw ? [{ source: SPANS, range: whole }] : rollupParts(whole);
  const current = p.add(r.range.from);
  const rows = parts.map(
    ({ source, range }) => `
    SELECT ${groupColumn(source, r.groupBy)} AS grp, ${source.time} >= ${current} AS current,
           ${source.measure.requests} AS requests, ${source.measure.input_tokens} AS input_tokens,
           ${source.measure.output_tokens} AS output_tokens, ${source.measure.cost} AS cost
    FROM ${source.table} WHERE ${sourceWhere(source, p, r.projectId, range, r.filters)}`,
  );
  const sums = (period: "current" | "previous") => {
    const when = period === "current" ? "current" : "NOT current";
    return ["requests", "input_tokens", "output_tokens", "cost"]
      .map((m) => `coalesce(sum(${m}) FILTER (WHERE ${when}), 0)::float8 AS ${period === "current" ? "" : "previous_"}${m}`)
      .join(", ");
  };
  const text = `
WITH src AS (${rows.join("\n    UNION ALL")}),
agg AS (
  SELECT grp, grouping(grp) = 1 AS is_total, ${sums("current")}, ${sums("previous")}
  FROM src GROUP BY GROUPING SETS ((grp), ())
)
(SELECT * FROM agg WHERE is_total)
UNION ALL
(SELECT * FROM agg WHERE NOT is_total ORDER BY cost DESC, grp LIMIT ${p.add(r.limit)})`;
  return { text, values: p.values };
}
