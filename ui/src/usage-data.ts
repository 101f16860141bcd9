import { type Answer, get } from "./api";
import type { Series } from "./chart";

export type Metric = "requests" | "errors" | "input_tokens" | "output_tokens" | "cost" | "latency_p50" | "latency_p95" | "latency_p99";
export type Grouping = "model" | "provider" | "service";
type Timeseries = Answer<"/api/v1/metrics/timeseries">;

export interface Plot {
  xs: number[];
  series: Series[];
}

/** Interval for a window: about 50 to 1,500 points a series. */
export function intervalFor(from: string, to: string): "1m" | "1h" | "1d" {
  const hours = (Date.parse(to) - Date.parse(from)) / 3_600_000;
  return hours <= 6 ? "1m" : hours <= 24 * 7 ? "1h" : "1d";
}

export async function series(metric: Metric, group: Grouping, window: { from: string; to: string }): Promise<Timeseries> {
  return get("/api/v1/metrics/timeseries", { metric, group_by: group, interval: intervalFor(window.from, window.to), ...window });
}

const key = (g: string | null | undefined) => g ?? "(none)";

/**
 * Series of several answers on one time axis. Buckets the API omits (no spans) count as 0 for
 * sums and stay empty for percentiles. `combine` turns the answers' values at one point into one.
 */
export function align(answers: Timeseries[], combine: (values: (number | null)[]) => number | null, empty: number | null): Plot {
  const times = new Set<number>();
  const byGroup = new Map<string, Map<number, (number | null)[]>>();
  answers.forEach((a, i) => {
    for (const s of a.series ?? []) {
      const points = byGroup.get(key(s.group)) ?? new Map<number, (number | null)[]>();
      byGroup.set(key(s.group), points);
      for (const p of s.points ?? []) {
        const t = Date.parse(p.t ?? "") / 1000;
        times.add(t);
        const at = points.get(t) ?? answers.map(() => empty);
        at[i] = p.v ?? null;
        points.set(t, at);
      }
    }
  });
  const xs = [...times].sort((a, b) => a - b);
  const series = [...byGroup].map(([label, points]) => ({ label, values: xs.map((t) => (points.has(t) ? combine(points.get(t)!) : empty)) }));
  return { xs, series };
}

export const sum = (vs: (number | null)[]) => vs.reduce<number>((a, v) => a + (v ?? 0), 0);
export const ratio = ([errors, requests]: (number | null)[]) => (requests ? (errors ?? 0) / requests : null);
