import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestCollector, type CollectorUnderTest } from "./support/collector.js";
import { decodeResponse, decodeStatus, gzipSync, jsonBody, post, protobufBody, randomSpanId, randomTraceId } from "./support/otlp-bodies.js";

const PROTO = "application/x-protobuf";
const JSON_TYPE = "application/json";

let c: CollectorUnderTest;
let auth: Record<string, string>;

beforeAll(async () => {
  c = await startTestCollector({ COLLECTOR_MAX_BODY_BYTES: "65536", COLLECTOR_QUEUE_MAX_SPANS: "5" });
  auth = { authorization: `Bearer ${c.key}` };
});
afterAll(async () => c?.stop());

async function countSpans(spanIds: string[]): Promise<number> {
  const { rows } = await c.pool.query("SELECT count(*)::int AS n FROM spans WHERE project_id = 'acme' AND span_id = ANY($1)", [spanIds]);
  return rows[0].n;
}

describe("OTLP/HTTP", () => {
  it("stores protobuf exports and answers in protobuf", async () => {
    const spanId = randomSpanId();
    const res = await post(c.httpUrl, protobufBody([{ spanId }]), { "content-type": PROTO, ...auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(PROTO);
    expect(decodeResponse(res.body)).toEqual({});
    expect(await countSpans([spanId])).toBe(1);
  });

  it("stores JSON exports with hex ids and answers in JSON", async () => {
    const traceId = randomTraceId();
    const spanId = randomSpanId();
    const res = await post(c.httpUrl, jsonBody([{ traceId, spanId }]), { "content-type": JSON_TYPE, "x-api-key": c.key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(JSON_TYPE);
    expect(JSON.parse(res.body.toString())).toEqual({});
    const { rows } = await c.pool.query("SELECT trace_id, service_name FROM spans WHERE span_id = $1", [spanId]);
    expect(rows).toEqual([{ trace_id: traceId, service_name: "checkout" }]);
  });

  it("accepts gzip bodies in both encodings", async () => {
    const a = randomSpanId();
    const b = randomSpanId();
    const r1 = await post(c.httpUrl, gzipSync(protobufBody([{ spanId: a }])), { "content-type": PROTO, "content-encoding": "gzip", ...auth });
    const r2 = await post(c.httpUrl, gzipSync(jsonBody([{ spanId: b }])), { "content-type": JSON_TYPE, "content-encoding": "gzip", ...auth });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(await countSpans([a, b])).toBe(2);
  });

  it("reports partial success for spans that cannot be stored and stores the rest", async () => {
    const good = randomSpanId();
    const body = jsonBody([{ spanId: good }, { spanId: "" }, { traceId: "00000000000000000000000000000000" }]);
    const res = await post(c.httpUrl, body, { "content-type": JSON_TYPE, ...auth });
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.body.toString());
    expect(answer.partialSuccess.rejectedSpans).toBe("2");
    expect(answer.partialSuccess.errorMessage).toMatch(/span id must be 8 non-zero bytes/);
    expect(answer.partialSuccess.errorMessage).toMatch(/trace id must be 16 non-zero bytes/);
    expect(await countSpans([good])).toBe(1);
  });

  it("stores a repeated export once", async () => {
    const spanId = randomSpanId();
    const body = protobufBody([{ spanId, attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": "dup-model" } }]);
    for (let i = 0; i < 3; i++) expect((await post(c.httpUrl, body, { "content-type": PROTO, ...auth })).status).toBe(200);
    expect(await countSpans([spanId])).toBe(1);
    const { rows } = await c.pool.query("SELECT sum(requests)::int AS n FROM span_rollups_1m WHERE model = 'dup-model'");
    expect(rows[0].n).toBe(1);
  });

  it("answers undecodable bodies with 400 and a message", async () => {
    const res = await post(c.httpUrl, Buffer.from([0x0a, 0xff, 0xff, 0xff]), { "content-type": PROTO, ...auth });
    expect(res.status).toBe(400);
    expect(decodeStatus(res.body)).toMatchObject({ code: 3, message: expect.stringMatching(/invalid protobuf/) });
    const json = await post(c.httpUrl, Buffer.from("{not json"), { "content-type": JSON_TYPE, ...auth });
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body.toString()).message).toMatch(/invalid JSON/);
    const gz = await post(c.httpUrl, Buffer.from("not gzip"), { "content-type": JSON_TYPE, "content-encoding": "gzip", ...auth });
    expect(gz.status).toBe(400);
    expect(JSON.parse(gz.body.toString()).message).toMatch(/invalid gzip/);
  });

  it("answers oversize bodies with 413, compressed or not", async () => {
    const big = Buffer.alloc(70_000, 0x20);
    const raw = await post(c.httpUrl, big, { "content-type": JSON_TYPE, ...auth });
    expect(raw.status).toBe(413);
    expect(JSON.parse(raw.body.toString()).message).toMatch(/exceeds 65536 bytes/);
    const bomb = await post(c.httpUrl, gzipSync(Buffer.alloc(1_000_000, 0x20)), { "content-type": JSON_TYPE, "content-encoding": "gzip", ...auth });
    expect(bomb.status).toBe(413);
    expect(JSON.parse(bomb.body.toString()).message).toMatch(/decompressed body exceeds/);
  });

  it("answers unsupported content types and encodings with 415", async () => {
    const res = await post(c.httpUrl, Buffer.from("x"), { "content-type": "text/plain", ...auth });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body.toString()).message).toMatch(/unsupported content type "text\/plain"/);
    const enc = await post(c.httpUrl, Buffer.from("x"), { "content-type": JSON_TYPE, "content-encoding": "br", ...auth });
    expect(enc.status).toBe(415);
  });

  it("refuses exports without a valid ingest key with 401 (403 without the scope)", async () => {
    const missing = await post(c.httpUrl, jsonBody([{}]), { "content-type": JSON_TYPE });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body.toString()).message).toMatch(/missing API key/);
    const wrong = await post(c.httpUrl, jsonBody([{}]), { "content-type": JSON_TYPE, authorization: "Bearer lok_nope" });
    expect(wrong.status).toBe(401);
    const { createApiKey } = await import("../../services/core/api-keys.js");
    const readOnly = await createApiKey(c.pool, "acme", "reader", ["read"]);
    const scoped = await post(c.httpUrl, jsonBody([{}]), { "content-type": JSON_TYPE, "x-api-key": readOnly.key });
    expect(scoped.status).toBe(403);
  });

  it("answers 429 with Retry-After when the queue is full, and stores what it acknowledged", async () => {
    // Holding a lock on spans keeps the first export's batch in the writer.
    const blocker = new pg.Client({ connectionString: c.db.url });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE spans IN EXCLUSIVE MODE");
    const held = Array.from({ length: 5 }, () => randomSpanId());
    const first = post(c.httpUrl, protobufBody(held.map((spanId) => ({ spanId }))), { "content-type": PROTO, ...auth });
    let refused, ready;
    try {
      await expect.poll(() => c.collector.pipeline.saturated).toBe(true);
      refused = await post(c.httpUrl, protobufBody([{}]), { "content-type": PROTO, ...auth });
      ready = await fetch(`${c.httpUrl}/ready`);
    } finally {
      await blocker.query("COMMIT");
      await blocker.end();
    }
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(decodeStatus(refused.body).code).toBe(14);
    expect(ready.status).toBe(503);
    expect((await first).status).toBe(200);
    expect(await countSpans(held)).toBe(5);
  });

  it("serves health, readiness and metrics", async () => {
    expect((await fetch(`${c.httpUrl}/health`)).status).toBe(200);
    const ready = await fetch(`${c.httpUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: true });
    const metrics = await (await fetch(`${c.httpUrl}/metrics`)).text();
    for (const name of [
      "observatory_collector_spans_received_total{protocol=\"http_protobuf\"}",
      "observatory_collector_spans_accepted_total",
      "observatory_collector_spans_rejected_total{reason=\"invalid_span_id\"}",
      "observatory_collector_backpressure_total{protocol=\"http_protobuf\"}",
      "observatory_collector_queue_capacity_spans 5",
      "observatory_collector_batch_spans_bucket",
      "observatory_collector_batch_write_duration_seconds_bucket",
      "observatory_collector_export_duration_seconds_bucket",
      "process_resident_memory_bytes",
    ]) {
      expect(metrics).toContain(name);
    }
  });
});
