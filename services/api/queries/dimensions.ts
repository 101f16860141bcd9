/**
 * The dimensions time series and cost summaries group and filter by, as columns of the rollup
 * tables and as the same expressions over raw spans. The span expressions must stay those the
 * span writer (services/core/span-writer.ts) uses to fill the rollup key, or the two paths
 * would disagree.
 */
export const DIMENSIONS = {
  provider: { rollup: "provider", span: "coalesce(provider, '')" },
  model: { rollup: "model", span: "coalesce(response_model, request_model, '')" },
  service: { rollup: "service_name", span: "service_name" },
  environment: { rollup: "environment", span: "coalesce(environment, '')" },
} as const;

export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

/** Filters only raw spans can answer (the rollups do not keep these columns). */
export const SPAN_FILTERS = {
  user_id: "user_id",
  session_id: "session_id",
} as const;

export type SpanFilter = keyof typeof SPAN_FILTERS;

export type DimensionFilters = Partial<Record<Dimension, string>>;
