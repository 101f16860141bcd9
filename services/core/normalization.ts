import type { AttributeValue, Attributes, RawSpan, RawSpanEvent, SpanRow } from "./span.js";
import { SPAN_LIMITS, TOO_DEEP, dropCounts, dropWarnings, limitAttributes, withDropCounts } from "./span-limits.js";
import { cleanText, clip } from "./text.js";

/**
 * GenAI attribute dialects → span columns. For each column the first attribute present wins, in
 * this order: current OpenTelemetry GenAI conventions, their deprecated names, OpenInference, and
 * the `llm.*` names of the original LLM Observatory SDKs.
 */
export const DIALECT_KEYS = {
  provider: ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"],
  operation: ["gen_ai.operation.name"],
  requestModel: ["gen_ai.request.model", "llm.request.model", "llm.model_name"],
  responseModel: ["gen_ai.response.model", "llm.response.model"],
  inputTokens: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "llm.usage.prompt_tokens"],
  outputTokens: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion", "llm.usage.completion_tokens"],
  cachedInputTokens: ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read"],
  reasoningTokens: ["gen_ai.usage.reasoning.output_tokens", "llm.token_count.completion_details.reasoning"],
  totalTokens: ["gen_ai.usage.total_tokens", "llm.token_count.total", "llm.usage.total_tokens"],
  costUsd: ["llm.cost.total_usd", "llm.cost.total"],
  finishReasons: ["gen_ai.response.finish_reasons", "llm.response.finish_reason"],
  userId: ["user.id", "enduser.id", "llm.user.id"],
  sessionId: ["gen_ai.conversation.id", "session.id", "llm.session.id"],
} as const satisfies Record<string, readonly string[]>;

/** Resource attributes naming the service and the deployment environment (new name first). */
export const RESOURCE_KEYS = {
  serviceName: ["service.name"],
  environment: ["deployment.environment.name", "deployment.environment"],
} as const;

/**
 * Other spellings of providers → the gen_ai.provider.name well-known values, so one provider is one
 * value in every query. Unlisted values are kept, lower-cased.
 */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  openai: "openai",
  azure: "azure.ai.openai",
  azure_openai: "azure.ai.openai",
  "az.ai.openai": "azure.ai.openai",
  anthropic: "anthropic",
  google: "gcp.gemini",
  gemini: "gcp.gemini",
  google_genai: "gcp.gemini",
  "gcp.gemini": "gcp.gemini",
  vertexai: "gcp.vertex_ai",
  vertex_ai: "gcp.vertex_ai",
  "gcp.vertex_ai": "gcp.vertex_ai",
  mistral: "mistral_ai",
  mistralai: "mistral_ai",
  mistral_ai: "mistral_ai",
  bedrock: "aws.bedrock",
  aws_bedrock: "aws.bedrock",
  "aws.bedrock": "aws.bedrock",
  cohere: "cohere",
  groq: "groq",
  deepseek: "deepseek",
  perplexity: "perplexity",
  xai: "x_ai",
  x_ai: "x_ai",
  watsonx: "ibm.watsonx.ai",
  "ibm.watsonx.ai": "ibm.watsonx.ai",
};

const ID_TRACE = /^[0-9a-f]{32}$/;
const ID_SPAN = /^[0-9a-f]{16}$/;
const NANOS = /^\d{1,20}$/;
/** A time in range is checked by value; up to 100 digits are read as a (too large) number. */
const DIGITS = /^\d{1,100}$/;
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** 9999-12-31T23:59:59Z: PostgreSQL and the rollups hold any time before it. */
const LAST_NANO = 253_402_300_799_000_000_000n;
const INT4_MAX = 2_147_483_647;
/** numeric(20, 12) holds less than 10^8. */
const COST_MAX = 1e8;
/** Longest value kept in a column that is part of an index or rollup key. */
export const KEY_TEXT_MAX = 256;

/** A row, with what was changed on the way (values ignored, limits applied), or why there is none. */
export type Normalized = { ok: true; row: SpanRow; warnings: string[] } | { ok: false; reason: RejectReason; message: string };
export type RejectReason = "invalid_trace_id" | "invalid_span_id" | "invalid_time" | "invalid_attributes";


function text(v: AttributeValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  return clip(typeof v === "string" ? v : JSON.stringify(v), KEY_TEXT_MAX);
}

/** The first of `keys` present, with its value. */
function firstEntry(attrs: Attributes, keys: readonly string[]): [string, AttributeValue] | undefined {
  for (const k of keys) {
    const v = attrs[k];
    if (v !== undefined && v !== null && v !== "") return [k, v];
  }
  return undefined;
}

function first(attrs: Attributes, keys: readonly string[]): AttributeValue | undefined {
  return firstEntry(attrs, keys)?.[1];
}

/**
 * A number, or a string of decimal notation (some SDKs stringify attributes); the same rule on
 * every path. Anything else ("0x10", " 12", booleans) is not a number.
 */
function numeric(v: AttributeValue): number | undefined {
  if (typeof v === "number") return v;
  return typeof v === "string" && DECIMAL.test(v) ? Number(v) : undefined;
}

/** A token count in range, or null with a warning saying which attribute was ignored. */
function tokens(attrs: Attributes, keys: readonly string[], warnings: string[]): number | null {
  const entry = firstEntry(attrs, keys);
  if (!entry) return null;
  const n = numeric(entry[1]);
  if (n !== undefined && Number.isInteger(n) && n >= 0 && n <= INT4_MAX) return n;
  warnings.push(`${entry[0]} ignored: a token count must be an integer from 0 to ${INT4_MAX}`);
  return null;
}

/** A cost in USD in range (numeric(20, 12)), or null with a warning. */
function cost(attrs: Attributes, keys: readonly string[], warnings: string[]): string | null {
  const entry = firstEntry(attrs, keys);
  if (!entry) return null;
  const n = numeric(entry[1]);
  if (n !== undefined && Number.isFinite(n) && n >= 0 && n < COST_MAX) return String(n);
  warnings.push(`${entry[0]} ignored: a cost must be a number of USD from 0 to less than ${COST_MAX}; the span is priced instead`);
  return null;
}

function strings(v: AttributeValue | undefined): string[] | null {
  if (v === undefined || v === null) return null;
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x) => x !== null).map((x) => (typeof x === "string" ? x : JSON.stringify(x)));
}

export function normalizeProvider(value: string): string {
  const v = value.trim().toLowerCase();
  return PROVIDER_ALIASES[v] ?? v;
}

/** Lower-cases a hex id; an absent parent (empty, all zeros) becomes null. */
function parentId(id: string | undefined): string | null | undefined {
  if (id === undefined || id === "" || /^0+$/.test(id)) return null;
  const lower = id.toLowerCase();
  return ID_SPAN.test(lower) ? lower : undefined;
}

function nanosToDate(nanos: bigint): Date {
  return new Date(Number(nanos / 1_000_000n));
}

/**
 * Tokens: input_tokens counts every input token, cached ones included (OTel GenAI conventions,
 * OpenAI's prompt_tokens, Gemini's promptTokenCount). A span whose cached count exceeds its input
 * count followed Anthropic's API convention (input_tokens excludes cache reads), so the two are
 * added to keep the column's meaning the same for every provider.
 */
function inputIncludingCached(input: number | null, cached: number | null): number | null {
  if (input === null || cached === null || cached <= input) return input;
  return Math.min(input + cached, INT4_MAX);
}

/** Says what is wrong with a span's start and end (nanoseconds since the epoch), if anything. */
function checkTimes(start: string, end: string): string | undefined {
  if (start === "0") return "start time is 0 (the Unix epoch, which OTLP reads as unset): a span must start after it";
  if (!DIGITS.test(start)) return `start time must be nanoseconds since the Unix epoch, not ${JSON.stringify(start.slice(0, 32))}`;
  if (BigInt(start) > LAST_NANO) return "start time is beyond year 9999";
  if (!DIGITS.test(end)) return `end time must be nanoseconds since the Unix epoch, not ${JSON.stringify(end.slice(0, 32))}`;
  if (BigInt(end) > LAST_NANO) return "end time is beyond year 9999";
  return undefined;
}

/** Maps one decoded span to a row, or says why it cannot be stored. Cost is left to pricing. */
export function normalizeSpan(projectId: string, raw: RawSpan): Normalized {
  const traceId = raw.traceId.toLowerCase();
  if (!ID_TRACE.test(traceId) || /^0+$/.test(traceId)) {
    return { ok: false, reason: "invalid_trace_id", message: "trace id must be 16 non-zero bytes" };
  }
  const spanId = raw.spanId.toLowerCase();
  if (!ID_SPAN.test(spanId) || /^0+$/.test(spanId)) {
    return { ok: false, reason: "invalid_span_id", message: "span id must be 8 non-zero bytes" };
  }
  const parentSpanId = parentId(raw.parentSpanId);
  if (parentSpanId === undefined) {
    return { ok: false, reason: "invalid_span_id", message: "parent span id must be 8 bytes (16 hex digits) or empty" };
  }
  const timeProblem = checkTimes(raw.startTimeUnixNano, raw.endTimeUnixNano);
  if (timeProblem) return { ok: false, reason: "invalid_time", message: timeProblem };
  const start = BigInt(raw.startTimeUnixNano);
  // A clock that ran backwards is a zero-length span, not a reason to lose it.
  const end = BigInt(raw.endTimeUnixNano) > start ? BigInt(raw.endTimeUnixNano) : start;

  // Limits first: everything below walks values recursively or stringifies them.
  const dropped = dropCounts(raw);
  const a = limitAttributes(raw.attributes, dropped);
  const r = limitAttributes(raw.resourceAttributes, dropped);
  const keptEvents = raw.events.length > SPAN_LIMITS.events ? raw.events.slice(0, SPAN_LIMITS.events) : raw.events;
  dropped.events += raw.events.length - keptEvents.length + (raw.eventsOverLimit ?? 0);
  const events: RawSpanEvent[] = [];
  for (const e of keptEvents) {
    const attributes = limitAttributes(e.attributes, dropped);
    if (attributes === undefined) return { ok: false, reason: "invalid_attributes", message: TOO_DEEP };
    events.push({ name: cleanText(clip(e.name, SPAN_LIMITS.valueChars)), timeUnixNano: NANOS.test(e.timeUnixNano) ? e.timeUnixNano : "0", attributes });
  }
  if (a === undefined || r === undefined) return { ok: false, reason: "invalid_attributes", message: TOO_DEEP };

  const warnings = dropWarnings(dropped, raw);
  const provider = text(first(a, DIALECT_KEYS.provider));
  const inputReported = tokens(a, DIALECT_KEYS.inputTokens, warnings);
  const outputTokens = tokens(a, DIALECT_KEYS.outputTokens, warnings);
  const cachedInputTokens = tokens(a, DIALECT_KEYS.cachedInputTokens, warnings);
  const inputTokens = inputIncludingCached(inputReported, cachedInputTokens);
  const totalReported = tokens(a, DIALECT_KEYS.totalTokens, warnings);
  const derivedTotal = inputTokens !== null || outputTokens !== null ? (inputTokens ?? 0) + (outputTokens ?? 0) : null;
  const clean = (v: string | null) => (v === null ? null : cleanText(v));

  return {
    ok: true,
    warnings,
    row: {
      projectId,
      traceId,
      spanId,
      parentSpanId,
      name: cleanText(clip(raw.name, SPAN_LIMITS.valueChars)),
      kind: raw.kind >= 0 && raw.kind <= 5 ? raw.kind : 0,
      serviceName: clean(text(first(r, RESOURCE_KEYS.serviceName))) ?? "unknown_service",
      environment: clean(text(first(r, RESOURCE_KEYS.environment))),
      startTime: nanosToDate(start),
      endTime: nanosToDate(end),
      durationMs: Number(end - start) / 1e6,
      statusCode: raw.statusCode >= 0 && raw.statusCode <= 2 ? raw.statusCode : 0,
      statusMessage: raw.statusMessage ? cleanText(clip(raw.statusMessage, SPAN_LIMITS.valueChars)) : null,
      operation: clean(text(first(a, DIALECT_KEYS.operation))),
      provider: provider === null ? null : cleanText(normalizeProvider(provider)),
      requestModel: clean(text(first(a, DIALECT_KEYS.requestModel))),
      responseModel: clean(text(first(a, DIALECT_KEYS.responseModel))),
      inputTokens,
      outputTokens,
      cachedInputTokens,
      reasoningTokens: tokens(a, DIALECT_KEYS.reasoningTokens, warnings),
      totalTokens: totalReported ?? (derivedTotal !== null && derivedTotal <= INT4_MAX ? derivedTotal : null),
      costUsd: cost(a, DIALECT_KEYS.costUsd, warnings),
      finishReasons: strings(first(a, DIALECT_KEYS.finishReasons))?.map(cleanText) ?? null,
      userId: clean(text(first(a, DIALECT_KEYS.userId))),
      sessionId: clean(text(first(a, DIALECT_KEYS.sessionId))),
      attributes: withDropCounts(a, dropped),
      resourceAttributes: r,
      events,
    },
  };
}
