import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as grpc from "@grpc/grpc-js";
import pg from "pg";
import { ExportTraceServiceResponse, RetryInfo, RpcStatus } from "../../services/collector/otlp-protos.js";
import { startTestCollector, type CollectorUnderTest } from "./support/collector.js";
import { protobufBody, randomSpanId } from "./support/otlp-bodies.js";

const PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

let c: CollectorUnderTest;
let client: grpc.Client;

beforeAll(async () => {
  c = await startTestCollector({ COLLECTOR_MAX_BODY_BYTES: "65536", COLLECTOR_QUEUE_MAX_SPANS: "3" });
  client = new grpc.Client(`127.0.0.1:${c.collector.grpcPort}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await c?.stop();
});

type Reply = { error: grpc.ServiceError | null; response?: Record<string, unknown> };

function exportRaw(body: Buffer, key: string | null = c.key): Promise<Reply> {
  const metadata = new grpc.Metadata();
  if (key) metadata.set("authorization", `Bearer ${key}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      PATH,
      (b: Buffer) => b,
      (b: Buffer) => ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(b), { longs: Number }),
      body,
      metadata,
      (error, response) => resolve({ error, response: response as Record<string, unknown> | undefined }),
    );
  });
}

describe("OTLP/gRPC", () => {
  it("stores spans and reports partial success", async () => {
    const good = randomSpanId();
    const reply = await exportRaw(protobufBody([{ spanId: good }, { traceId: "" }]));
    expect(reply.error).toBeNull();
    expect(reply.response).toEqual({ partialSuccess: { rejectedSpans: 1, errorMessage: "1 span(s): trace id must be 16 non-zero bytes" } });
    const { rows } = await c.pool.query("SELECT count(*)::int AS n FROM spans WHERE span_id = $1", [good]);
    expect(rows[0].n).toBe(1);
  });

  it("answers INVALID_ARGUMENT with a message for an undecodable request", async () => {
    const { error } = await exportRaw(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]));
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/invalid protobuf/);
  });

  it("answers UNAUTHENTICATED without a valid key", async () => {
    expect((await exportRaw(protobufBody([{}]), null)).error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await exportRaw(protobufBody([{}]), "lok_wrong")).error?.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("answers RESOURCE_EXHAUSTED without RetryInfo for an oversize request", async () => {
    const { error } = await exportRaw(Buffer.alloc(70_000, 0x20));
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error?.metadata.get("grpc-status-details-bin")).toEqual([]);
  });

  it("answers UNAVAILABLE with google.rpc.RetryInfo when the queue is full", async () => {
    const blocker = new pg.Client({ connectionString: c.db.url });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE spans IN EXCLUSIVE MODE");
    const held = exportRaw(protobufBody([{}, {}, {}]));
    let error: grpc.ServiceError | null;
    try {
      await expect.poll(() => c.collector.pipeline.saturated).toBe(true);
      ({ error } = await exportRaw(protobufBody([{}])));
    } finally {
      await blocker.query("COMMIT");
      await blocker.end();
    }
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    const [details] = error!.metadata.get("grpc-status-details-bin") as Buffer[];
    const status = RpcStatus.toObject(RpcStatus.decode(details!)) as { code: number; details: Array<{ type_url: string; value: Uint8Array }> };
    expect(status.code).toBe(grpc.status.UNAVAILABLE);
    expect(status.details[0]!.type_url).toBe("type.googleapis.com/google.rpc.RetryInfo");
    expect(RetryInfo.toObject(RetryInfo.decode(status.details[0]!.value), { longs: Number })).toMatchObject({ retry_delay: { seconds: 1 } });
    expect((await held).error).toBeNull();
  });
});
