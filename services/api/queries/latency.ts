import type pg from "pg";

export const PERCENTILES = { latency_p50: 0.5, latency_p95: 0.95, latency_p99: 0.99 } as const;
export type PercentileMetric = keyof typeof PERCENTILES;

const slotsByPool = new WeakMap<pg.Pool, Promise<number>>();

/** Slots of the rollup latency histogram, read once from the schema (a new bound needs no code change). */
export function latencySlots(pool: pg.Pool): Promise<number> {
  let slots = slotsByPool.get(pool);
  if (!slots) {
    slots = pool
      .query<{ slots: number }>("SELECT cardinality(rollup_latency_bounds()) + 1 AS slots")
      .then(({ rows }) => rows[0]!.slots)
      .catch((err: unknown) => {
        slotsByPool.delete(pool);
        throw err;
      });
    slotsByPool.set(pool, slots);
  }
  return slots;
}

const slotNumbers = (slots: number) => Array.from({ length: slots }, (_, i) => i + 1);

/** Element-wise sum of the rollup rows' histograms in a group (a plain sum per slot is fastest). */
export function summedHistogram(slots: number): string {
  return `ARRAY[${slotNumbers(slots).map((i) => `sum(latency_histogram[${i}])`).join(", ")}]::bigint[]`;
}

/** The same histogram built from raw spans, so both paths feed one estimator. */
export function spanHistogram(slots: number): string {
  return `ARRAY[${slotNumbers(slots).map((i) => `count(*) FILTER (WHERE rollup_latency_slot(duration_ms) = ${i})`).join(", ")}]::bigint[]`;
}
