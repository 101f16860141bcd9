import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from "../../../services/collector/otlp-protos.js";

export interface SpanSpec {
  traceId?: string;
  spanId?: string;
  name?: string;
  startNanos?: bigint;
  durationMs?: number;
  attributes?: Record<string, string | number | boolean>;
}

export function randomTraceId(): string {
  return randomBytes(16).toString("hex");
}

export function randomSpanId(): string {
  return randomBytes(8).toString("hex");
}

function value(v: string | number | boolean) {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
}

/** An export request as the OTLP/JSON object (hex ids), for one service. */
export function requestObject(spans: SpanSpec[], service = "checkout"): Record<string, unknown> {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: spans.map((s) => {
              const start = s.startNanos ?? now;
              return {
                traceId: s.traceId ?? randomTraceId(),
                spanId: s.spanId ?? randomSpanId(),
                name: s.name ?? "chat gpt-4o",
                kind: 3,
                startTimeUnixNano: start.toString(),
                endTimeUnixNano: (start + BigInt(Math.round((s.durationMs ?? 120) * 1e6))).toString(),
                attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: value(v) })),
                status: { code: 0 },
              };
            }),
          },
        ],
      },
    ],
  };
}

export function jsonBody(spans: SpanSpec[]): Buffer {
  return Buffer.from(JSON.stringify(requestObject(spans)));
}

/** The same request encoded as protobuf (ids converted from hex to bytes). */
export function protobufBody(spans: SpanSpec[]): Buffer {
  const obj = requestObject(spans) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
  for (const s of obj.resourceSpans[0]!.scopeSpans[0]!.spans) {
    s.traceId = Buffer.from(s.traceId as string, "hex");
    s.spanId = Buffer.from(s.spanId as string, "hex");
  }
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(obj)).finish());
}

export { gzipSync };

export function decodeResponse(body: Uint8Array): Record<string, unknown> {
  return ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(body), { longs: Number });
}

export function decodeStatus(body: Uint8Array): { code?: number; message?: string; details?: Array<{ type_url: string; value: Uint8Array }> } {
  return RpcStatus.toObject(RpcStatus.decode(body)) as never;
}

export async function post(url: string, body: Uint8Array, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(`${url}/v1/traces`, { method: "POST", body, headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
