import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { decodeNativeSpan, nativeId, rfc3339ToNanos } from "../../services/api/native-span.js";
import { normalizeSpan } from "../../services/core/normalization.js";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/test_span.json", import.meta.url), "utf8"));

test("the original's LlmSpan becomes a RawSpan that normalizes into the right columns", () => {
  const decoded = decodeNativeSpan(fixture);
  if (!decoded.ok) throw new Error(decoded.message);
  const { span } = decoded;
  expect([span.traceId, span.spanId, span.parentSpanId]).toEqual([
    createHash("sha256").update("trace_456").digest("hex").slice(0, 32),
    createHash("sha256").update("span_123").digest("hex").slice(0, 16),
    undefined,
  ]);
  expect([span.startTimeUnixNano, span.endTimeUnixNano, span.statusCode, span.kind]).toEqual(["1736935200000123456", "1736935201234123456", 1, 3]);
  expect(span.events).toEqual([{ name: "first_token", timeUnixNano: "1736935200210123456", attributes: {} }]);
  const n = normalizeSpan("p", span);
  if (!n.ok) throw new Error(n.message);
  expect(n.row).toMatchObject({
    provider: "openai",
    requestModel: "gpt-4o",
    inputTokens: 15,
    outputTokens: 8,
    totalTokens: 23,
    costUsd: "0.0001175",
    userId: "user_123",
    sessionId: "session_abc",
    serviceName: "chat-app",
    environment: "development",
    finishReasons: ["stop"],
    durationMs: 1234,
  });
  expect(n.row.attributes).toMatchObject({ "llm.native.trace_id": "trace_456", "gen_ai.request.temperature": 0.7, "llm.latency.ttft_ms": 210 });
});

test("hex ids pass through lower-cased; providers, statuses and currencies as serde writes them", () => {
  expect(nativeId("ABCDEF0123456789", 16)).toBe("abcdef0123456789");
  const base = { trace_id: "A".repeat(32), span_id: "b".repeat(16), parent_span_id: "C".repeat(16), name: "n", latency: { start_time: "2025-01-01T00:00:00+02:00", total_ms: 5 } };
  const d = decodeNativeSpan({ ...base, provider: { custom: "acme" }, status: "error", cost: { amount_usd: 2, currency: "EUR" } });
  if (!d.ok) throw new Error(d.message);
  expect([d.span.traceId, d.span.parentSpanId, d.span.statusCode, d.span.attributes["llm.system"], d.span.attributes["llm.cost.total_usd"]]).toEqual([
    "a".repeat(32),
    "c".repeat(16),
    2,
    "acme",
    undefined,
  ]);
  expect(d.span.startTimeUnixNano).toBe(String(Date.UTC(2024, 11, 31, 22) * 1e6));
  expect(d.span.endTimeUnixNano).toBe(String((Date.UTC(2024, 11, 31, 22) + 5) * 1e6));
  expect("llm.native.trace_id" in d.span.attributes).toBe(false);
});

test("what cannot be a span is refused with a reason", () => {
  expect(decodeNativeSpan([])).toEqual({ ok: false, message: "a span must be a JSON object" });
  expect(decodeNativeSpan({ span_id: "s", name: "n" })).toMatchObject({ ok: false, message: "trace_id and span_id must be non-empty strings" });
  expect(decodeNativeSpan({ trace_id: "t", span_id: "s" })).toMatchObject({ ok: false, message: "name must be a non-empty string" });
  expect(decodeNativeSpan({ trace_id: "t", span_id: "s", name: "n", latency: { start_time: "yesterday" } })).toMatchObject({ ok: false });
  expect([rfc3339ToNanos("1969-12-31T23:59:59Z"), rfc3339ToNanos("2025-01-01T00:00:00.1Z")]).toEqual([undefined, "1735689600100000000"]);
});
