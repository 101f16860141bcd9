import { HOUR_MS, type TimeRange, ceilTo, floorTo } from "../time-range.js";
import { DIMENSIONS, type Dimension, type DimensionFilters, SPAN_FILTERS, type SpanFilter } from "./dimensions.js";
import { spanHistogram, summedHistogram } from "./latency.js";
import type { Params } from "./sql.js";

export type Measure = "requests" | "errors" | "input_tokens" | "output_tokens" | "cost";

/**
 * A table aggregates are read from: a rollup (pre-summed rows) or raw spans (one row each).
 * `measure` is the per-row value that sum() adds up, so both read the same way.
 */
export interface Source {
  table: "span_rollups_1m" | "span_rollups_1h" | "spans";
  time: string;
  column(d: Dimension): string;
  measure: Record<Measure, string>;
  histogram(slots: number): string;
  maxDuration: string;
}

const rollup = (table: "span_rollups_1m" | "span_rollups_1h"): Source => ({
  table,
  time: "bucket",
  column: (d) => DIMENSIONS[d].rollup,
  measure: { requests: "requests", errors: "errors", input_tokens: "input_tokens", output_tokens: "output_tokens", cost: "cost_usd" },
  histogram: summedHistogram,
  maxDuration: "max(duration_ms_max)",
});

export const ROLLUP_1M = rollup("span_rollups_1m");
export const ROLLUP_1H = rollup("span_rollups_1h");
export const SPANS: Source = {
  table: "spans",
  time: "start_time",
  column: (d) => DIMENSIONS[d].span,
  measure: {
    requests: "1",
    errors: "(status_code = 2)::int",
    input_tokens: "input_tokens",
    output_tokens: "output_tokens",
    cost: "cost_usd",
  },
  histogram: spanHistogram,
  maxDuration: "max(duration_ms)",
};

export type SourceFilters = DimensionFilters & Partial<Record<SpanFilter, string>>;

/** True when the filters need columns only raw spans have. */
export function needsSpans(filters: SourceFilters): boolean {
  return (Object.keys(SPAN_FILTERS) as SpanFilter[]).some((k) => filters[k] !== undefined);
}

/** WHERE conditions of one source: the project, [from, to) and every filter given. */
export function sourceWhere(source: Source, p: Params, projectId: string, range: TimeRange, filters: SourceFilters): string {
  const where = [`project_id = ${p.add(projectId)}`, `${source.time} >= ${p.add(range.from)}`, `${source.time} < ${p.add(range.to)}`];
  for (const d of Object.keys(DIMENSIONS) as Dimension[]) {
    const v = filters[d];
    if (v !== undefined) where.push(`${source.column(d)} = ${p.add(v)}`);
  }
  for (const k of Object.keys(SPAN_FILTERS) as SpanFilter[]) {
    const v = filters[k];
    if (v !== undefined) where.push(`${SPAN_FILTERS[k]} = ${p.add(v)}`);
  }
  return where.join(" AND ");
}

/**
 * A minute-aligned range cut into the rollup tables that answer it exactly: whole hours from the
 * hourly rollup, the minutes before the first and after the last whole hour from the per-minute one.
 */
export function rollupParts({ from, to }: TimeRange): { source: Source; range: TimeRange }[] {
  const hourFrom = ceilTo(from.getTime(), HOUR_MS);
  const hourTo = floorTo(to.getTime(), HOUR_MS);
  if (hourFrom >= hourTo) return [{ source: ROLLUP_1M, range: { from, to } }];
  const parts = [{ source: ROLLUP_1H, range: { from: new Date(hourFrom), to: new Date(hourTo) } }];
  if (from.getTime() < hourFrom) parts.push({ source: ROLLUP_1M, range: { from, to: new Date(hourFrom) } });
  if (hourTo < to.getTime()) parts.push({ source: ROLLUP_1M, range: { from: new Date(hourTo), to } });
  return parts;
}
