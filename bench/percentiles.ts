export interface Percentiles {
  p50: number;
  p99: number;
}

/** Nearest-rank p50 and p99 of `samples` (NaN when there are none). */
export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { p50: Number.NaN, p99: Number.NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}
