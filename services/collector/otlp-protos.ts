import { createRequire } from "node:module";
import protobuf from "protobufjs";

/** A 64-bit integer as protobufjs decodes it: a Long, or a number where Long is unavailable. */
export type Int64 = number | { toString(): string };

/** The fields of the decoded OTLP messages this collector reads (the generated root is untyped). */
export interface OtlpAnyValue {
  value?: "stringValue" | "boolValue" | "intValue" | "doubleValue" | "arrayValue" | "kvlistValue" | "bytesValue";
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: Uint8Array;
}
export interface OtlpKeyValue {
  key?: string | null;
  value?: OtlpAnyValue | null;
}
export interface OtlpSpan {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  parentSpanId?: Uint8Array | null;
  name?: string | null;
  kind?: number | null;
  startTimeUnixNano?: Int64 | null;
  endTimeUnixNano?: Int64 | null;
  attributes?: OtlpKeyValue[] | null;
  events?: Array<{ timeUnixNano?: Int64 | null; name?: string | null; attributes?: OtlpKeyValue[] | null }> | null;
  links?: unknown[] | null;
  droppedAttributesCount?: number | null;
  droppedEventsCount?: number | null;
  droppedLinksCount?: number | null;
  status?: { code?: number | null; message?: string | null } | null;
}
export interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] | null } | null;
    scopeSpans?: Array<{ spans?: OtlpSpan[] | null }> | null;
  }> | null;
}

interface GeneratedType<T> {
  decode(reader: Uint8Array): T;
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: Record<string, unknown>): T;
  toObject(message: T, options?: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The OTLP messages, from the protobufjs root generated from opentelemetry-proto and shipped by
 * @opentelemetry/otlp-transformer 0.200 (installed as `otlp-protos`; later releases only encode).
 */
const require = createRequire(import.meta.url);
const root = require("otlp-protos/build/src/generated/root.js");
const traceService = root.opentelemetry.proto.collector.trace.v1;

export const ExportTraceServiceRequest: GeneratedType<ExportRequest> = traceService.ExportTraceServiceRequest;
export const ExportTraceServiceResponse: GeneratedType<object> = traceService.ExportTraceServiceResponse;

/**
 * google.rpc.Status and google.rpc.RetryInfo (googleapis google/rpc/status.proto and
 * error_details.proto), the error body of OTLP/HTTP and the gRPC status details.
 */
const rpc = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: "string", id: 1 }, value: { type: "bytes", id: 2 } } },
            Duration: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: "int32", id: 1 },
                message: { type: "string", id: 2 },
                details: { rule: "repeated", type: "google.protobuf.Any", id: 3 },
              },
            },
            RetryInfo: { fields: { retry_delay: { type: "google.protobuf.Duration", id: 1 } } },
          },
        },
      },
    },
  },
});

export const RpcStatus = rpc.lookupType("google.rpc.Status");
export const RetryInfo = rpc.lookupType("google.rpc.RetryInfo");
