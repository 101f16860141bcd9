import { decodeProtobuf, toRawSpans } from "../services/collector/otlp-decode.js";
import { ExportTraceServiceRequest } from "../services/collector/otlp-protos.js";
import { normalizeSpan } from "../services/core/normalization.js";
import { SPAN_COLUMNS, copyData } from "../services/core/span-writer.js";

const MODELS = [
  ["openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18"],
  ["openai", "gpt-4o", "gpt-4o-2024-08-06"],
  ["anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929"],
  ["gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash"],
  ["mistral_ai", "mistral-large-latest", "mistral-large-2411"],
] as const;

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: v } });

/** A deterministic GenAI span, as instrumentations following the OTel conventions emit it. */
function span(i: number, base: bigint) {
  const [provider, model, responseModel] = MODELS[i % MODELS.length]!;
  const id = (n: number, bytes: number) => Buffer.from(n.toString(16).padStart(bytes * 2, "0"), "hex");
  const start = base + BigInt(i) * 7_000_000n;
  return {
    traceId: id(Math.floor(i / 4) + 1, 16),
    spanId: id(i + 1, 8),
    parentSpanId: i % 4 === 0 ? undefined : id(i - (i % 4) + 1, 8),
    name: `chat ${model}`,
    kind: 3,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(50 + (i % 2000)) * 1_000_000n).toString(),
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
  };
}

/** N spans as OTLP protobuf export bodies of `batch` spans each. */
export function exportBodies(n: number, batch: number): Buffer[] {
  const base = BigInt(Date.now() - 3_600_000) * 1_000_000n;
  const bodies: Buffer[] = [];
  for (let from = 0; from < n; from += batch) {
    const spans = Array.from({ length: Math.min(batch, n - from) }, (_, k) => span(from + k, base));
    const request = ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: { attributes: [str("service.name", `svc-${from % 3}`), str("deployment.environment.name", "bench")] },
          scopeSpans: [{ scope: { name: "bench" }, spans }],
        },
      ],
    });
    bodies.push(Buffer.from(ExportTraceServiceRequest.encode(request).finish()));
  }
  return bodies;
}

/** The same spans as rows of `spans` in COPY text format, one chunk per body. */
export function copyChunks(bodies: Buffer[], projectId: string): { columns: readonly string[]; chunks: Buffer[] } {
  const chunks = bodies.map((body) => {
    const rows = toRawSpans(decodeProtobuf(body)).map((raw) => {
      const n = normalizeSpan(projectId, raw);
      if (!n.ok) throw new Error(n.message);
      return n.row;
    });
    return Buffer.concat(copyData(rows));
  });
  return { columns: SPAN_COLUMNS, chunks };
}
