import type pg from "pg";
import type { SpanRow } from "../services/core/span.js";
import { SpanWriter } from "../services/core/span-writer.js";

/**
 * The API benchmark's data: traces of three spans (a root, an LLM call, a tool call) spread
 * evenly over `days` ending at `end`, round-robin over `projects`, written through the real
 * SpanWriter so the rollups are exactly what ingest would have made of them.
 */
export interface Dataset {
  spans: number;
  projects: string[];
  end: Date;
  days: number;
}

const MODELS = [
  ["openai", "gpt-4o", 2.5, 10],
  ["openai", "gpt-4o-mini", 0.15, 0.6],
  ["anthropic", "claude-sonnet-4-5", 3, 15],
  ["gcp.gemini", "gemini-2.5-flash", 0.3, 2.5],
  ["openai", "gpt-4.1", 2, 8],
] as const;
const SERVICES = ["chat-app", "summarizer", "indexer"];
const GOLDEN = 0.6180339887498949;

/** Durations spread log-uniformly over 20 ms .. 10 s (a long tail, as LLM calls have). */
const duration = (g: number) => 20 * 500 ** ((g * GOLDEN) % 1);
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

export function traceId(project: number, g: number): string {
  return hex(project + 1, 8) + hex(g, 24);
}

function traceRows(d: Dataset, g: number, traces: number): SpanRow[] {
  const p = g % d.projects.length;
  const start = new Date(d.end.getTime() - ((g + 0.5) / traces) * d.days * 86_400_000);
  const [provider, model, inPrice, outPrice] = MODELS[g % MODELS.length]!;
  const total = duration(g);
  const input = 100 + ((g * 7919) % 4000);
  const output = 20 + ((g * 104_729) % 800);
  const base = {
    projectId: d.projects[p]!,
    traceId: traceId(p, g),
    serviceName: SERVICES[Math.floor(g / 3) % SERVICES.length]!,
    environment: Math.floor(g / 9) % 2 === 0 ? "production" : "staging",
    statusMessage: null,
    operation: null,
    provider: null,
    requestModel: null,
    responseModel: null,
    inputTokens: null,
    outputTokens: null,
    cachedInputTokens: null,
    reasoningTokens: null,
    totalTokens: null,
    costUsd: null,
    finishReasons: null,
    userId: `user_${g % 2000}`,
    sessionId: `session_${g % 50_000}`,
    resourceAttributes: {},
    events: [],
  };
  const at = (offsetMs: number, ms: number) => ({
    startTime: new Date(start.getTime() + offsetMs).toISOString(),
    endTime: new Date(start.getTime() + offsetMs + ms).toISOString(),
    durationMs: Math.round(ms),
  });
  const rootId = hex(g, 13) + "001";
  return [
    { ...base, ...at(0, total), spanId: rootId, parentSpanId: null, name: "chat-request", kind: 2, statusCode: 1, attributes: {} },
    {
      ...base,
      ...at(5, total * 0.8),
      spanId: hex(g, 13) + "002",
      parentSpanId: rootId,
      name: "llm.chat",
      kind: 3,
      statusCode: g % 40 === 0 ? 2 : 1,
      operation: "chat",
      provider,
      requestModel: model,
      responseModel: model,
      inputTokens: input,
      outputTokens: output,
      totalTokens: input + output,
      costUsd: ((input * inPrice + output * outPrice) / 1e6).toFixed(12),
      attributes: { "gen_ai.request.model": model },
    },
    { ...base, ...at(total * 0.85, total * 0.1), spanId: hex(g, 13) + "003", parentSpanId: rootId, name: "tool.search", kind: 1, statusCode: 1, attributes: {} },
  ];
}

/** Writes the dataset with `writers` concurrent batches; reports progress per 10%. */
export async function writeDataset(pool: pg.Pool, d: Dataset, onProgress: (done: number) => void, writers = 2): Promise<void> {
  const traces = Math.ceil(d.spans / 3);
  const writer = new SpanWriter(pool);
  const perBatch = 1_700;
  let next = 0;
  let written = 0;
  let reported = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < traces) {
        const first = next;
        next = Math.min(traces, next + perBatch);
        const rows: SpanRow[] = [];
        for (let g = first; g < next; g++) rows.push(...traceRows(d, g, traces));
        // The last trace is cut so the total is exactly d.spans.
        await writer.write(rows.slice(0, Math.max(0, d.spans - first * 3)));
        written += rows.length;
        if (written >= reported + d.spans / 10) onProgress((reported = written));
      }
    }),
  );
}
