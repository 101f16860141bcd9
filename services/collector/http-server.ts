import http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { status as GrpcStatus } from "@grpc/grpc-js";
import type { Logger } from "../core/logger.js";
import type { ExportHandler, ExportOutcome, Protocol } from "./export-handler.js";
import { registry } from "./metrics.js";
import { decodeJson, decodeProtobuf } from "./otlp-decode.js";
import { encodeExportResponse, encodeStatus, exportResponse, type BodyFormat } from "./otlp-responses.js";

const gunzip = promisify(zlib.gunzip);

export interface Readiness {
  ready: boolean;
  [detail: string]: unknown;
}

export interface HttpServerOptions {
  handler: ExportHandler;
  maxBodyBytes: number;
  readiness(): Promise<Readiness>;
  /** True once shutdown began: every answer then closes its connection, so keep-alive clients let go. */
  draining(): boolean;
  log: Logger;
}

const FORMATS: Record<string, { format: BodyFormat; protocol: Protocol }> = {
  "application/x-protobuf": { format: "protobuf", protocol: "http_protobuf" },
  "application/json": { format: "json", protocol: "http_json" },
};

const CONTENT_TYPES: Record<BodyFormat, string> = { protobuf: "application/x-protobuf", json: "application/json" };

/** The request as sent, or what was wrong with it in HTTP terms. */
type Body = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413; message: string };

function send(res: http.ServerResponse, code: number, format: BodyFormat, body: Buffer, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(code, { "content-type": CONTENT_TYPES[format], "content-length": body.length, ...headers });
  res.end(body);
}

function sendError(res: http.ServerResponse, code: number, grpc: GrpcStatus, message: string, format: BodyFormat, headers?: http.OutgoingHttpHeaders): void {
  // The rest of an unread body would otherwise be read and thrown away.
  send(res, code, format, encodeStatus(grpc, message, format), { connection: "close", ...headers });
}

async function readBody(req: http.IncomingMessage, limit: number, gzipped: boolean): Promise<Body> {
  const declared = Number(req.headers["content-length"]);
  const tooLarge = { ok: false, status: 413, message: `request body exceeds ${limit} bytes` } as const;
  if (declared > limit) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return tooLarge;
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks, size);
  if (!gzipped) return { ok: true, bytes: raw };
  try {
    return { ok: true, bytes: await gunzip(raw, { maxOutputLength: limit }) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return { ...tooLarge, message: `decompressed body exceeds ${limit} bytes` };
    return { ok: false, status: 400, message: `invalid gzip body: ${(err as Error).message}` };
  }
}

function answer(res: http.ServerResponse, outcome: ExportOutcome, format: BodyFormat): void {
  switch (outcome.kind) {
    case "ok":
      return send(res, 200, format, encodeExportResponse(exportResponse(outcome.rejected, outcome.errorMessage), format));
    case "unauthenticated":
      return sendError(res, 401, GrpcStatus.UNAUTHENTICATED, outcome.message, format, { "www-authenticate": "Bearer" });
    case "forbidden":
      return sendError(res, 403, GrpcStatus.PERMISSION_DENIED, outcome.message, format);
    case "invalid":
      return sendError(res, 400, GrpcStatus.INVALID_ARGUMENT, outcome.message, format);
    case "too_large":
      return sendError(res, 413, GrpcStatus.RESOURCE_EXHAUSTED, outcome.message, format);
    case "internal":
      return sendError(res, 500, GrpcStatus.INTERNAL, outcome.message, format);
    case "backpressure":
      return send(res, outcome.unavailable ? 503 : 429, format, encodeStatus(GrpcStatus.UNAVAILABLE, outcome.message, format, outcome.retryAfterSeconds), {
        "retry-after": String(outcome.retryAfterSeconds),
      });
  }
}

/** POST /v1/traces per OTLP/HTTP, plus /health, /ready and /metrics. */
async function exportTraces(req: http.IncomingMessage, res: http.ServerResponse, o: HttpServerOptions): Promise<void> {
  const mediaType = String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const kind = FORMATS[mediaType];
  if (!kind) {
    return sendError(res, 415, GrpcStatus.INVALID_ARGUMENT, `unsupported content type "${mediaType}": use application/x-protobuf or application/json`, "json");
  }
  const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") {
    return sendError(res, 415, GrpcStatus.INVALID_ARGUMENT, `unsupported content encoding "${encoding}": use gzip or none`, kind.format);
  }
  const early = o.handler.refuseEarly(kind.protocol);
  if (early) return answer(res, early, kind.format);
  const body = await readBody(req, o.maxBodyBytes, encoding === "gzip");
  if (!body.ok) {
    return sendError(res, body.status, body.status === 413 ? GrpcStatus.RESOURCE_EXHAUSTED : GrpcStatus.INVALID_ARGUMENT, body.message, kind.format);
  }
  const decode = kind.format === "protobuf" ? decodeProtobuf : decodeJson;
  answer(res, await o.handler.handle(kind.protocol, req.headers, () => decode(body.bytes)), kind.format);
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, o: HttpServerOptions): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/v1/traces") {
    if (req.method === "POST") return exportTraces(req, res, o);
    return sendError(res, 405, GrpcStatus.UNIMPLEMENTED, "use POST", "json", { allow: "POST" });
  }
  if (req.method === "GET" && path === "/health") return send(res, 200, "json", Buffer.from('{"status":"ok"}'));
  if (req.method === "GET" && path === "/ready") {
    const r = await o.readiness();
    return send(res, r.ready ? 200 : 503, "json", Buffer.from(JSON.stringify({ status: r.ready ? "ready" : "not_ready", ...r })));
  }
  if (req.method === "GET" && path === "/metrics") {
    const text = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType });
    return void res.end(text);
  }
  sendError(res, 404, GrpcStatus.NOT_FOUND, `no route ${req.method} ${path}`, "json");
}

export function createHttpServer(o: HttpServerOptions): http.Server {
  return http.createServer((req, res) => {
    if (o.draining()) res.setHeader("connection", "close");
    route(req, res, o).catch((err: unknown) => {
      o.log.error({ err: (err as Error).message, path: req.url }, "request failed");
      if (!res.headersSent) sendError(res, 500, GrpcStatus.INTERNAL, "internal error", "json");
      else res.destroy();
    });
  });
}
