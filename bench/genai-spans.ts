import { ExportTraceServiceRequest, type OtlpSpan } from "../services/collector/otlp-protos.js";

/** Models in the proportions a mixed workload might use, with the response model providers report. */
const MODELS = [
  ["openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18"],
  ["openai", "gpt-4o", "gpt-4o-2024-08-06"],
  ["anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"],
  ["gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash"],
  ["mistral_ai", "mistral-large-latest", "mistral-large-2411"],
] as const;

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });

export interface SpanIds {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId?: Buffer;
}

/**
 * The `i`-th GenAI chat span of a workload, as instrumentations following the OpenTelemetry GenAI
 * conventions emit it: deterministic in `i` (model, tokens, duration, errors every 50th).
 */
export function genaiSpan(i: number, startNanos: bigint, ids: SpanIds): OtlpSpan {
  const [provider, model, responseModel] = MODELS[i % MODELS.length]!;
  return {
    ...ids,
    name: `chat ${model}`,
    kind: 3,
    startTimeUnixNano: startNanos.toString(),
    endTimeUnixNano: (startNanos + BigInt(50 + (i % 2000)) * 1_000_000n).toString(),
    attributes: [
      str("gen_ai.provider.name", provider),
      str("gen_ai.operation.name", "chat"),
      str("gen_ai.request.model", model),
      str("gen_ai.response.model", responseModel),
      int("gen_ai.usage.input_tokens", 200 + (i % 3000)),
      int("gen_ai.usage.output_tokens", 20 + (i % 700)),
      { key: "gen_ai.response.finish_reasons", value: { arrayValue: { values: [{ stringValue: "stop" }] } } },
      str("gen_ai.conversation.id", `conv-${i % 5000}`),
      str("user.id", `user-${i % 997}`),
      str("server.address", "api.example.com"),
    ],
    status: { code: i % 50 === 0 ? 2 : 1 },
  } as OtlpSpan;
}

/** An OTLP protobuf export body of `spans` from one service. */
export function exportBody(spans: OtlpSpan[], service: string, environment: string): Buffer {
  const request = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [str("service.name", service), str("deployment.environment.name", environment)] },
        scopeSpans: [{ scope: { name: "llm-observatory-load" }, spans }],
      },
    ],
  });
  return Buffer.from(ExportTraceServiceRequest.encode(request).finish());
}
