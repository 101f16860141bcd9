import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metadata } from "@grpc/grpc-js";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace";
import { startTestCollector, type CollectorUnderTest } from "./support/collector.js";

let c: CollectorUnderTest;

beforeAll(async () => {
  c = await startTestCollector();
  await c.pool.query(
    `INSERT INTO model_prices (provider, model_pattern, input_per_mtok, output_per_mtok, cached_input_per_mtok, effective_from, source)
     VALUES ('openai', 'obs-test-gpt%', 2, 8, 0.5, '2020-01-01', 'test')`,
  );
});
afterAll(async () => c?.stop());

/** One GenAI chat span sent through `exporter`, as an application instrumented with the OTel SDK would. */
async function sendChatSpan(exporter: SpanExporter, model: string): Promise<{ traceId: string; spanId: string }> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "support-bot", "deployment.environment.name": "staging" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const start = Date.now() - 2_000;
  const span = provider.getTracer("test").startSpan(`chat ${model}`, {
    kind: SpanKind.CLIENT,
    startTime: start,
    attributes: {
      "gen_ai.provider.name": "OpenAI",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": model,
      "gen_ai.usage.input_tokens": 3_000,
      "gen_ai.usage.output_tokens": 500,
      "gen_ai.usage.cache_read.input_tokens": 1_000,
      "gen_ai.response.finish_reasons": ["stop"],
      "user.id": "u-42",
    },
  });
  span.addEvent("gen_ai.choice", { index: 0 });
  span.setStatus({ code: SpanStatusCode.ERROR, message: "rate limited upstream" });
  span.end(start + 1_500);
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
}

describe("the official OpenTelemetry exporters", () => {
  const metadata = () => {
    const m = new Metadata();
    m.set("authorization", `Bearer ${c.key}`);
    return m;
  };
  const exporters: Array<[string, () => SpanExporter]> = [
    ["gRPC", () => new GrpcExporter({ url: c.grpcUrl, metadata: metadata() })],
    ["gRPC with gzip", () => new GrpcExporter({ url: c.grpcUrl, metadata: metadata(), compression: "gzip" as never })],
    ["HTTP protobuf", () => new ProtoExporter({ url: `${c.httpUrl}/v1/traces`, headers: { "x-api-key": c.key } })],
    ["HTTP protobuf with gzip", () => new ProtoExporter({ url: `${c.httpUrl}/v1/traces`, headers: { "x-api-key": c.key }, compression: "gzip" as never })],
    ["HTTP JSON", () => new HttpJsonExporter({ url: `${c.httpUrl}/v1/traces`, headers: { authorization: `Bearer ${c.key}` } })],
  ];

  it.each(exporters)("%s: the span lands with normalized columns and its cost", async (_name, make) => {
    const model = `obs-test-gpt-${Math.random().toString(36).slice(2, 8)}`;
    const { traceId, spanId } = await sendChatSpan(make(), model);
    const { rows } = await c.pool.query("SELECT * FROM spans WHERE span_id = $1", [spanId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      project_id: "acme",
      trace_id: traceId,
      parent_span_id: null,
      name: `chat ${model}`,
      kind: 3,
      service_name: "support-bot",
      environment: "staging",
      duration_ms: 1_500,
      status_code: 2,
      status_message: "rate limited upstream",
      operation: "chat",
      provider: "openai",
      request_model: model,
      input_tokens: 3_000,
      output_tokens: 500,
      cached_input_tokens: 1_000,
      total_tokens: 3_500,
      // 2000 × $2 + 1000 × $0.5 + 500 × $8 per million = $0.0085
      cost_usd: "0.008500000000",
      finish_reasons: ["stop"],
      user_id: "u-42",
    });
    expect(rows[0].attributes["gen_ai.provider.name"]).toBe("OpenAI");
    expect(rows[0].resource_attributes["service.name"]).toBe("support-bot");
    expect(rows[0].events).toMatchObject([{ name: "gen_ai.choice", attributes: { index: 0 } }]);
    const { rows: rollup } = await c.pool.query("SELECT requests::int, errors::int, cost_usd::text FROM span_rollups_1h WHERE model = $1", [model]);
    expect(rollup).toEqual([{ requests: 1, errors: 1, cost_usd: "0.008500000000" }]);
  });
});
