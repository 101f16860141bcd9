import { describe, expect, it } from "vitest";
import { normalizeProvider, normalizeSpan } from "../../services/core/normalization.js";
import type { Attributes, RawSpan, SpanRow } from "../../services/core/span.js";

const START = "1700000000000000000";

function raw(attributes: Attributes, over: Partial<RawSpan> = {}): RawSpan {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    name: "chat",
    kind: 3,
    startTimeUnixNano: START,
    endTimeUnixNano: "1700000001250000000",
    statusCode: 0,
    attributes,
    resourceAttributes: { "service.name": "checkout", "deployment.environment.name": "prod" },
    events: [],
    ...over,
  };
}

function row(attributes: Attributes, over: Partial<RawSpan> = {}): SpanRow {
  const n = normalizeSpan("acme", raw(attributes, over));
  if (!n.ok) throw new Error(n.message);
  return n.row;
}

const GENAI_COLUMNS = ["provider", "operation", "requestModel", "responseModel", "inputTokens", "outputTokens", "cachedInputTokens", "reasoningTokens", "totalTokens", "costUsd", "finishReasons", "userId", "sessionId"] as const;

function genai(r: SpanRow) {
  return Object.fromEntries(GENAI_COLUMNS.map((k) => [k, r[k]]));
}

describe("normalization per dialect", () => {
  it("maps the current OpenTelemetry GenAI conventions", () => {
    const r = row({
      "gen_ai.provider.name": "openai",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 300,
      "gen_ai.usage.cache_read.input_tokens": 1000,
      "gen_ai.usage.reasoning.output_tokens": 64,
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.conversation.id": "conv-1",
      "user.id": "u-7",
    });
    expect(genai(r)).toEqual({
      provider: "openai",
      operation: "chat",
      requestModel: "gpt-4o",
      responseModel: "gpt-4o-2024-08-06",
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 1000,
      reasoningTokens: 64,
      totalTokens: 1500,
      costUsd: null,
      finishReasons: ["stop"],
      userId: "u-7",
      sessionId: "conv-1",
    });
    expect(r).toMatchObject({ serviceName: "checkout", environment: "prod", durationMs: 1250, kind: 3 });
    expect(r.startTime).toBe("2023-11-14T22:13:20.000000Z");
  });

  it("maps the deprecated GenAI names (gen_ai.system, prompt/completion tokens)", () => {
    const r = row({ "gen_ai.system": "anthropic", "gen_ai.request.model": "claude-3-5-haiku", "gen_ai.usage.prompt_tokens": 10, "gen_ai.usage.completion_tokens": 5 });
    expect(genai(r)).toMatchObject({ provider: "anthropic", requestModel: "claude-3-5-haiku", inputTokens: 10, outputTokens: 5, totalTokens: 15 });
  });

  it("maps OpenInference", () => {
    const r = row({
      "llm.provider": "google",
      "llm.model_name": "gemini-2.5-flash",
      "llm.token_count.prompt": 40,
      "llm.token_count.completion": 8,
      "llm.token_count.total": 48,
      "session.id": "s-1",
      "user.id": "u-1",
    });
    expect(genai(r)).toMatchObject({ provider: "gcp.gemini", requestModel: "gemini-2.5-flash", inputTokens: 40, outputTokens: 8, totalTokens: 48, sessionId: "s-1", userId: "u-1" });
  });

  it("maps the original LLM Observatory SDK names, explicit cost included", () => {
    const r = row({
      "llm.system": "mistral",
      "llm.request.model": "mistral-large-latest",
      "llm.usage.prompt_tokens": "100",
      "llm.usage.completion_tokens": 20,
      "llm.cost.total_usd": 0.00042,
      "llm.user.id": "alice",
      "llm.session.id": "sess-9",
    });
    expect(genai(r)).toMatchObject({ provider: "mistral_ai", requestModel: "mistral-large-latest", inputTokens: 100, outputTokens: 20, costUsd: "0.00042", userId: "alice", sessionId: "sess-9" });
  });

  it("prefers the current name when a span carries several dialects", () => {
    const r = row({ "gen_ai.provider.name": "openai", "gen_ai.system": "azure", "gen_ai.usage.input_tokens": 7, "gen_ai.usage.prompt_tokens": 9 });
    expect([r.provider, r.inputTokens]).toEqual(["openai", 7]);
  });

  it("spells providers the GenAI well-known way", () => {
    expect(["OpenAI", "google", "mistral", "MistralAI", "vertexai", "AWS.Bedrock", "someone-new"].map(normalizeProvider)).toEqual([
      "openai",
      "gcp.gemini",
      "mistral_ai",
      "mistral_ai",
      "gcp.vertex_ai",
      "aws.bedrock",
      "someone-new",
    ]);
  });

  it("adds cache reads to input tokens reported the Anthropic API way (input excludes cache reads)", () => {
    const r = row({ "gen_ai.provider.name": "anthropic", "gen_ai.usage.input_tokens": 50, "gen_ai.usage.cache_read.input_tokens": 2000 });
    expect([r.inputTokens, r.cachedInputTokens]).toEqual([2050, 2000]);
  });

  it("keeps raw attributes and drops what columns cannot hold", () => {
    const r = row({ "gen_ai.usage.input_tokens": 3e9, "gen_ai.usage.output_tokens": -1, "llm.cost.total_usd": "lots", weird: "a\u0000b\ud800" });
    expect([r.inputTokens, r.outputTokens, r.costUsd]).toEqual([null, null, null]);
    expect(r.attributes.weird).toBe("a\uFFFDb\uFFFD");
    expect(r.attributes["gen_ai.usage.input_tokens"]).toBe(3e9);
  });

  it("rejects spans without usable ids or start time, with a reason", () => {
    expect(normalizeSpan("acme", raw({}, { traceId: "" }))).toMatchObject({ ok: false, reason: "invalid_trace_id" });
    expect(normalizeSpan("acme", raw({}, { spanId: "0000000000000000" }))).toMatchObject({ ok: false, reason: "invalid_span_id" });
    expect(normalizeSpan("acme", raw({}, { parentSpanId: "abc" }))).toMatchObject({ ok: false, reason: "invalid_span_id" });
    expect(normalizeSpan("acme", raw({}, { startTimeUnixNano: "0" }))).toMatchObject({ ok: false, reason: "invalid_time" });
  });

  it("keeps microseconds: a sub-millisecond span has its duration, spans within a millisecond their order", () => {
    const a = row({}, { startTimeUnixNano: "1700000000000123456", endTimeUnixNano: "1700000000000523999" });
    const b = row({}, { startTimeUnixNano: "1700000000000400000", endTimeUnixNano: "1700000000000900000" });
    // Milliseconds made both start at 22:13:20.000 and end there too.
    expect([a.startTime, a.endTime, b.startTime]).toEqual(["2023-11-14T22:13:20.000123Z", "2023-11-14T22:13:20.000523Z", "2023-11-14T22:13:20.000400Z"]);
    expect(a.startTime < b.startTime).toBe(true);
    expect(a.durationMs).toBeCloseTo(0.400543, 6);
  });

  it("treats an end before the start as a zero-length span and an all-zero parent as none", () => {
    const r = row({}, { endTimeUnixNano: "1", parentSpanId: "0000000000000000" });
    expect([r.durationMs, r.parentSpanId, r.endTime]).toEqual([0, null, r.startTime]);
  });
});
