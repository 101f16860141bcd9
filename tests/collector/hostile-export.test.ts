import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../services/core/api-keys.js";
import { startTestCollector, type CollectorUnderTest } from "./support/collector.js";
import { ExportTraceServiceRequest } from "../../services/collector/otlp-protos.js";
import { MODELS_PER_PROVIDER } from "../../services/core/metric-labels.js";
import { decodeResponse, decodeStatus, post, randomSpanId, requestObject } from "./support/otlp-bodies.js";

const JSON_TYPE = "application/json";

let c: CollectorUnderTest;
let auth: Record<string, string>;

beforeAll(async () => {
  c = await startTestCollector();
  auth = { authorization: `Bearer ${c.key}`, "content-type": JSON_TYPE };
});
afterAll(async () => c?.stop());

type SpanObject = Record<string, unknown>;

/** An OTLP/JSON export of the given spans, each edited by `edit` after the usual fields are set. */
function exportOf(...edits: Array<(span: SpanObject) => void>): Buffer {
  const request = requestObject(edits.map(() => ({}))) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: SpanObject[] }> }> };
  request.resourceSpans[0]!.scopeSpans[0]!.spans.forEach((span, i) => edits[i]!(span));
  return Buffer.from(JSON.stringify(request));
}

async function exportJson(body: Buffer, headers = auth) {
  const res = await post(c.httpUrl, body, headers);
  return { status: res.status, answer: res.body.length > 0 ? JSON.parse(res.body.toString()) : {} };
}

async function stored(spanId: string) {
  const { rows } = await c.pool.query("SELECT trace_id, parent_span_id FROM spans WHERE project_id = 'acme' AND span_id = $1", [spanId]);
  return rows;
}

describe("OTLP/JSON ids that are not plain hex", () => {
  it("rejects a full-width trace id and a non-hex parent for those spans alone, and stores the good span", async () => {
    const good = randomSpanId();
    const wide = randomSpanId();
    const badParent = randomSpanId();
    const body = exportOf(
      (s) => (s.spanId = good),
      (s) => ((s.spanId = wide), (s.traceId = "ａ".repeat(32))),
      (s) => ((s.spanId = badParent), (s.parentSpanId = "xyz")),
    );
    const { status, answer } = await exportJson(body);
    expect(status).toBe(200);
    expect(answer.partialSuccess.rejectedSpans).toBe("2");
    expect(answer.partialSuccess.errorMessage).toMatch(/1 span\(s\): trace id must be 16 non-zero bytes/);
    expect(answer.partialSuccess.errorMessage).toMatch(/1 span\(s\): parent span id must be 8 bytes/);
    expect(await stored(wide)).toEqual([]);
    expect(await stored(badParent)).toEqual([]);
    expect(await stored(good)).toHaveLength(1);
  });
});

describe("scopes", () => {
  it("lets an admin-only key export (admin includes ingest, as in the API)", async () => {
    const { key } = await createApiKey(c.pool, "acme", "admin only", ["admin"]);
    const spanId = randomSpanId();
    const { status } = await exportJson(exportOf((s) => (s.spanId = spanId)), { authorization: `Bearer ${key}`, "content-type": JSON_TYPE });
    expect(status).toBe(200);
    expect(await stored(spanId)).toHaveLength(1);
    const { key: readOnly } = await createApiKey(c.pool, "acme", "read only", ["read"]);
    expect((await exportJson(exportOf(() => {}), { authorization: `Bearer ${readOnly}`, "content-type": JSON_TYPE })).status).toBe(403);
  });
});

describe("times", () => {
  it("says which time is wrong: an end out of range, a start at the Unix epoch", async () => {
    const cases: Array<[(s: SpanObject) => void, RegExp]> = [
      [(s) => (s.endTimeUnixNano = "-5"), /end time must be nanoseconds since the Unix epoch/],
      [(s) => (s.endTimeUnixNano = "300000000000000000000"), /end time/],
      [(s) => (s.startTimeUnixNano = "0"), /start time is 0 \(the Unix epoch/],
    ];
    for (const [edit, message] of cases) {
      const { status, answer } = await exportJson(exportOf(edit));
      expect(status).toBe(200);
      expect(answer.partialSuccess.rejectedSpans).toBe("1");
      expect(answer.partialSuccess.errorMessage).toMatch(message);
    }
  });
});


describe("span limits", () => {
  it("keeps 128 of a span's million empty events, counts the rest, and rejects only the span nested too deep", async () => {
    const [crowded, deep, good] = [randomSpanId(), randomSpanId(), randomSpanId()];
    let tooDeep: Record<string, unknown> = { stringValue: "leaf" };
    for (let i = 0; i < 40; i++) tooDeep = { kvlistValue: { values: [{ key: "a", value: tooDeep }] } };
    const request = requestObject([{ spanId: crowded }, { spanId: deep }, { spanId: good }]) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
    };
    const spans = request.resourceSpans[0]!.scopeSpans[0]!.spans;
    spans[0]!.events = Array.from({ length: 1_000_000 }, () => ({}));
    spans[1]!.attributes = [{ key: "deep", value: tooDeep }];
    for (const s of spans) (s.traceId = Buffer.from(s.traceId as string, "hex")), (s.spanId = Buffer.from(s.spanId as string, "hex"));
    const body = Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish());
    expect(body.length).toBeGreaterThan(2_000_000);

    const res = await post(c.httpUrl, body, { authorization: `Bearer ${c.key}`, "content-type": "application/x-protobuf" });
    expect(res.status).toBe(200);
    expect(decodeResponse(res.body)).toEqual({
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage: "1 span(s): attribute values nest arrays or maps deeper than 32 levels; 1 span(s): events over 128 per span dropped",
      },
    });
    const { rows } = await c.pool.query(
      "SELECT span_id, jsonb_array_length(events) AS events, attributes->'observatory.dropped_events_count' AS dropped FROM spans WHERE span_id = ANY($1) ORDER BY span_id = $2",
      [[crowded, deep, good], crowded],
    );
    expect(rows).toEqual([
      { span_id: good, events: 0, dropped: null },
      { span_id: crowded, events: 128, dropped: 1_000_000 - 128 },
    ]);
  }, 60_000);
});

describe("metrics", () => {
  it("bounds the provider and model label values clients choose (known providers, the first models of each, then other)", async () => {
    const spans = Array.from({ length: 400 }, (_, i) => ({
      attributes: { "gen_ai.provider.name": i % 2 ? `made-up-${i}` : "openai", "gen_ai.request.model": `model-${i}`, "llm.cost.total_usd": 0.5 },
    }));
    expect((await post(c.httpUrl, Buffer.from(JSON.stringify(requestObject(spans))), auth)).status).toBe(200);
    const text = await (await fetch(`${c.httpUrl}/metrics`)).text();
    const series = text.split("\n").filter((l) => l.startsWith("observatory_collector_cost_usd_total{"));
    expect(series).toHaveLength(MODELS_PER_PROVIDER + 2);
    expect(series).toContain('observatory_collector_cost_usd_total{provider="other",model="other"} 100');
    expect(series).toContain('observatory_collector_cost_usd_total{provider="openai",model="other"} 75');
  });
});

describe("protobuf wire format", () => {
  it("refuses wire types that do not fit the field (0f 00 used to decode as an empty export) with 400", async () => {
    const proto = { authorization: `Bearer ${c.key}`, "content-type": "application/x-protobuf" };
    for (const bytes of [[0x0f, 0x00], [0x0a, 0x02, 0x0f, 0x00], [0x0d, 0x00, 0x00, 0x00, 0x00], [0x0a, 0x05, 0x12, 0x09, 0x00]]) {
      const res = await post(c.httpUrl, Buffer.from(bytes), proto);
      expect([bytes, res.status]).toEqual([bytes, 400]);
      expect(decodeStatus(res.body).message).toMatch(/^invalid protobuf ExportTraceServiceRequest: /);
    }
    const good = Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(requestObject([{}, {}]))).finish());
    expect((await post(c.httpUrl, good, proto)).status).toBe(200);
  });
});
