import { FIXTURES, type NativeSpan } from "./api-harness.js";

/**
 * Expected figures computed straight from the fixture JSON, independently of the API's SQL.
 * Costs are summed as integers of 10^-9 USD (the fixtures have at most 9 decimals), so the
 * expected numbers are the nearest doubles to the exact sums, as the API returns them.
 */

// Seed list price of gpt-4o (0005_seed_model_prices.sql): 2.50 / 10.00 USD per million tokens.
const GPT_4O_NANOS_PER_TOKEN = { input: 2_500, output: 10_000 };

export const startMs = (s: NativeSpan) => Date.parse(s.latency.start_time);

/** The start as the API answers it: UTC, microseconds (six digits; finer digits dropped). */
export const startIso = (s: NativeSpan) => {
  const fraction = /\.(\d+)/.exec(s.latency.start_time)?.[1] ?? "";
  return `${new Date(startMs(s)).toISOString().slice(0, 19)}.${fraction.padEnd(6, "0").slice(0, 6)}Z`;
};

export function costNanos(s: NativeSpan): number | null {
  if (s.cost) return Math.round(s.cost.amount_usd * 1e9);
  if (s.model === "gpt-4o") return s.token_usage.prompt_tokens * GPT_4O_NANOS_PER_TOKEN.input + s.token_usage.completion_tokens * GPT_4O_NANOS_PER_TOKEN.output;
  return null;
}

export interface Figures {
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export function figures(spans: NativeSpan[]): Figures {
  return {
    requests: spans.length,
    errors: spans.filter((s) => s.status === "ERROR").length,
    input_tokens: spans.reduce((n, s) => n + (s.token_usage?.prompt_tokens ?? 0), 0),
    output_tokens: spans.reduce((n, s) => n + (s.token_usage?.completion_tokens ?? 0), 0),
    cost_usd: spans.reduce((n, s) => n + (costNanos(s) ?? 0), 0) / 1e9,
  };
}

export function spansOf(project: "alpha" | "beta", where: (s: NativeSpan) => boolean = () => true): NativeSpan[] {
  return FIXTURES[project].filter(where);
}

export const inRange = (from: string, to: string) => (s: NativeSpan) => startMs(s) >= Date.parse(from) && startMs(s) < Date.parse(to);

/** The fixture's traces as the trace list shows them (one per root span). */
export function traceRows(project: "alpha" | "beta") {
  const spans = FIXTURES[project];
  return spans
    .filter((s) => s.parent_span_id === null)
    .map((root) => {
      const all = spans.filter((s) => s.trace_id === root.trace_id);
      const costs = all.map(costNanos).filter((c): c is number => c !== null);
      const f = figures(all);
      return {
        trace_id: root.trace_id,
        name: root.name,
        service: root.service_name,
        start_time: startIso(root),
        duration_ms: Math.max(...all.map((s) => Date.parse(s.latency.end_time))) - Math.min(...all.map(startMs)),
        span_count: all.length,
        error_count: f.errors,
        status: f.errors > 0 ? "error" : "ok",
        models: [...new Set(all.map((s) => s.model).filter(Boolean))].sort(),
        input_tokens: f.input_tokens,
        output_tokens: f.output_tokens,
        total_tokens: f.input_tokens + f.output_tokens,
        cost_usd: costs.length === 0 ? null : costs.reduce((a, b) => a + b, 0) / 1e9,
        user_id: root.metadata.user_id ?? null,
        session_id: root.metadata.session_id ?? null,
      };
    })
    .sort((a, b) => (a.start_time < b.start_time ? 1 : -1));
}
