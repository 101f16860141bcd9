import { DAY_MS, HOUR_MS, MINUTE_MS, type TimeRange } from "../time-range.js";
import type { Dimension } from "./dimensions.js";
import { PERCENTILES, type PercentileMetric } from "./latency.js";
import { type Measure, ROLLUP_1H, ROLLUP_1M, SPANS, type Source, type SourceFilters, needsSpans, sourceWhere } from "./sources.js";
import { Params, type Query } from "./sql.js";

export const SERIES_METRICS = ["requests", "errors", "input_tokens", "output_tokens", "cost", "latency_p50", "latency_p95", "latency_p99"] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

/** Each interval's bucket width and the rollup that answers it (days are summed from hours). */
export const INTERVALS = {
  "1m": { ms: MINUTE_MS, sql: "1 minute", rollup: ROLLUP_1M },
  "1h": { ms: HOUR_MS, sql: "1 hour", rollup: ROLLUP_1H },
  "1d": { ms: DAY_MS, sql: "1 day", rollup: ROLLUP_1H },
} as const;
export type Interval = keyof typeof INTERVALS;

export interface SeriesRequest {
  projectId: string;
  metric: SeriesMetric;
  interval: Interval;
  /** Aligned to the interval. */
  range: TimeRange;
  groupBy?: Dimension;
  filters: SourceFilters;
  /** Slots of the latency histogram (see latencySlots). */
  slots: number;
}

/** The rollup for the interval, unless a filter needs raw spans. */
export function seriesSource(r: Pick<SeriesRequest, "interval" | "filters">): Source {
  return needsSpans(r.filters) ? SPANS : INTERVALS[r.interval].rollup;
}

function valueOf(source: Source, metric: SeriesMetric, slots: number, p: Params): string {
  if (metric in PERCENTILES) {
    const q = p.add(PERCENTILES[metric as PercentileMetric]);
    return `rollup_latency_percentile(${source.histogram(slots)}, ${q}, ${source.maxDuration})`;
  }
  return `coalesce(sum(${source.measure[metric as Measure]}), 0)::float8`;
}

/** One row per (group, bucket) with data, buckets on UTC boundaries of the interval. */
export function timeseriesQuery(r: SeriesRequest): Query {
  const source = seriesSource(r);
  const p = new Params();
  const bucket = `date_bin(${p.add(INTERVALS[r.interval].sql)}::interval, ${source.time}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
  const group = r.groupBy ? source.column(r.groupBy) : "''";
  const value = valueOf(source, r.metric, r.slots, p);
  const where = sourceWhere(source, p, r.projectId, r.range, r.filters);
  return {
    text: `SELECT ${group} AS grp, ${bucket} AS t, ${value} AS v FROM ${source.table} WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
    values: p.values,
  };
}
