import { status as GrpcStatus } from "@grpc/grpc-js";
import { ExportTraceServiceResponse, RetryInfo, RpcStatus } from "./otlp-protos.js";

export type BodyFormat = "protobuf" | "json";

/** ExportTraceServiceResponse, with partial_success when some spans were refused. */
export function exportResponse(rejected: number, errorMessage: string | undefined): object {
  return ExportTraceServiceResponse.fromObject(rejected > 0 || errorMessage ? { partialSuccess: { rejectedSpans: rejected, errorMessage: errorMessage ?? "" } } : {});
}

export function encodeExportResponse(response: object, format: BodyFormat): Buffer {
  if (format === "protobuf") return Buffer.from(ExportTraceServiceResponse.encode(response).finish());
  return Buffer.from(JSON.stringify(ExportTraceServiceResponse.toObject(response, { longs: String })));
}

/** google.rpc.Status, with a RetryInfo detail when the client should come back after a delay. */
function status(code: GrpcStatus, message: string, retryAfterSeconds?: number) {
  const details =
    retryAfterSeconds === undefined
      ? []
      : [
          {
            type_url: "type.googleapis.com/google.rpc.RetryInfo",
            value: RetryInfo.encode(RetryInfo.fromObject({ retry_delay: { seconds: retryAfterSeconds, nanos: 0 } })).finish(),
          },
        ];
  return RpcStatus.fromObject({ code, message, details });
}

export function encodeStatus(code: GrpcStatus, message: string, format: BodyFormat, retryAfterSeconds?: number): Buffer {
  const s = status(code, message, retryAfterSeconds);
  if (format === "protobuf") return Buffer.from(RpcStatus.encode(s).finish());
  return Buffer.from(JSON.stringify(RpcStatus.toObject(s, { longs: String, bytes: String })));
}
