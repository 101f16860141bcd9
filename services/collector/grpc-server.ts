import * as grpc from "@grpc/grpc-js";
import type { ExportHandler, ExportOutcome } from "./export-handler.js";
import { decodeProtobuf } from "./otlp-decode.js";
import { ExportTraceServiceResponse } from "./otlp-protos.js";
import { encodeStatus, exportResponse } from "./otlp-responses.js";

/**
 * TraceService/Export. Requests stay raw bytes through grpc-js so that a decoding failure is
 * answered INVALID_ARGUMENT with a message (a throwing deserializer would become INTERNAL).
 */
const traceService: grpc.ServiceDefinition = {
  Export: {
    path: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (m: object) => Buffer.from(ExportTraceServiceResponse.encode(m).finish()),
    responseDeserialize: (b: Buffer) => ExportTraceServiceResponse.decode(b),
  },
};

const CODES: Record<Exclude<ExportOutcome["kind"], "ok" | "backpressure">, grpc.status> = {
  unauthenticated: grpc.status.UNAUTHENTICATED,
  forbidden: grpc.status.PERMISSION_DENIED,
  invalid: grpc.status.INVALID_ARGUMENT,
  // Without RetryInfo: the same export would be refused again (OTLP: not retryable).
  too_large: grpc.status.RESOURCE_EXHAUSTED,
  internal: grpc.status.INTERNAL,
};

function headersOf(metadata: grpc.Metadata): Record<string, string | undefined> {
  const value = (key: string) => {
    const v = metadata.get(key)[0];
    return typeof v === "string" ? v : undefined;
  };
  return { authorization: value("authorization"), "x-api-key": value("x-api-key") };
}

/** Backpressure as UNAVAILABLE with google.rpc.RetryInfo in grpc-status-details-bin (per OTLP). */
function unavailable(message: string, retryAfterSeconds: number): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set("grpc-status-details-bin", encodeStatus(grpc.status.UNAVAILABLE, message, "protobuf", retryAfterSeconds));
  return { code: grpc.status.UNAVAILABLE, details: message, metadata };
}

export function createGrpcServer(handler: ExportHandler, maxBodyBytes: number): grpc.Server {
  // grpc-js answers RESOURCE_EXHAUSTED (without RetryInfo) above the limit, compressed or not.
  const server = new grpc.Server({ "grpc.max_receive_message_length": maxBodyBytes });
  server.addService(traceService, {
    Export: (call: grpc.ServerUnaryCall<Buffer, object>, callback: grpc.sendUnaryData<object>) => {
      const early = handler.refuseEarly("grpc");
      const answer = early ? Promise.resolve(early) : handler.handle("grpc", headersOf(call.metadata), () => decodeProtobuf(call.request));
      void answer.then((outcome) => {
        if (outcome.kind === "ok") callback(null, exportResponse(outcome.rejected, outcome.errorMessage));
        else if (outcome.kind === "backpressure") callback(unavailable(outcome.message, outcome.retryAfterSeconds));
        else callback({ code: CODES[outcome.kind], details: outcome.message });
      });
    },
  });
  return server;
}
