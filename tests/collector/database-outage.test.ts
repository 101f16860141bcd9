import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";
import { collectorMetrics } from "../../services/collector/metrics.js";
import { ADMIN_URL } from "../support/database.js";
import { startTestCollector, type CollectorUnderTest } from "./support/collector.js";
import { post, protobufBody, randomSpanId } from "./support/otlp-bodies.js";
import { FaultProxy } from "../support/fault-proxy.js";

let proxy: FaultProxy;
let c: CollectorUnderTest;

beforeAll(async () => {
  const admin = new URL(ADMIN_URL);
  proxy = await FaultProxy.start(admin.hostname, Number(admin.port || 5432));
  c = await startTestCollector({}, (url) => proxy.url(url));
});
afterAll(async () => {
  proxy?.restore();
  await c?.stop();
  await proxy?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stored(spanIds: string[]): Promise<Map<string, number>> {
  const { rows } = await c.pool.query("SELECT span_id, count(*)::int AS n FROM spans WHERE span_id = ANY($1) GROUP BY span_id", [spanIds]);
  return new Map(rows.map((r) => [r.span_id, r.n]));
}

/** Records which spans each export carried and whether the collector acknowledged it. */
class RecordingExporter implements SpanExporter {
  readonly acknowledged: string[] = [];
  readonly sent: string[] = [];
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: Parameters<SpanExporter["export"]>[1]): void {
    const ids = spans.map((s) => s.spanContext().spanId);
    this.sent.push(...ids);
    this.inner.export(spans, (r) => {
      // ExportResultCode.SUCCESS
      if (r.code === 0) this.acknowledged.push(...ids);
      done(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

describe("PostgreSQL going away and coming back", () => {
  it("holds an export until its spans are committed, and answers new exports with backpressure meanwhile", async () => {
    // One export first, so the API key is cached: key lookups during the outage come from memory.
    expect((await post(c.httpUrl, protobufBody([{}]), { "content-type": "application/x-protobuf", "x-api-key": c.key })).status).toBe(200);
    proxy.reset();
    const heldId = randomSpanId();
    const held = post(c.httpUrl, protobufBody([{ spanId: heldId }]), { "content-type": "application/x-protobuf", "x-api-key": c.key });
    await expect.poll(() => c.collector.pipeline.saturated).toBe(true);
    const refused = await post(c.httpUrl, protobufBody([{}]), { "content-type": "application/x-protobuf", "x-api-key": c.key });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${c.httpUrl}/ready`)).status).toBe(503);
    proxy.restore();
    expect((await held).status).toBe(200);
    expect(await stored([heldId])).toEqual(new Map([[heldId, 1]]));
    await expect.poll(async () => (await fetch(`${c.httpUrl}/ready`)).status).toBe(200);
  });

  it("stores every acknowledged span exactly once through an outage mid-stream; exporter retries fill the rest", async () => {
    const dbErrorsBefore = (await collectorMetrics.dbErrors.get()).values[0]?.value ?? 0;
    const exporter = new RecordingExporter(new OTLPTraceExporter({ url: `${c.httpUrl}/v1/traces`, headers: { "x-api-key": c.key }, timeoutMillis: 30_000 }));
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ "service.name": "outage" }),
      spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 50, maxExportBatchSize: 50 })],
    });
    const tracer = provider.getTracer("outage");
    const produce = async (ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        for (let i = 0; i < 10; i++) tracer.startSpan("work", { attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": "outage-model" } }).end();
        await sleep(40);
      }
    };
    await produce(600);
    proxy.reset();
    await produce(1_500);
    proxy.restore();
    await produce(600);
    await provider.forceFlush();
    await provider.shutdown();
    expect((await collectorMetrics.dbErrors.get()).values[0]!.value).toBeGreaterThan(dbErrorsBefore);
    expect(exporter.acknowledged.length).toBeGreaterThan(100);
    const counts = await stored(exporter.sent);
    for (const id of exporter.acknowledged) expect(counts.get(id)).toBe(1);
    // Retries (with the collector's Retry-After) delivered everything that was produced.
    expect(new Set(exporter.acknowledged)).toEqual(new Set(exporter.sent));
    const { rows } = await c.pool.query("SELECT sum(requests)::int AS n FROM span_rollups_1m WHERE model = 'outage-model'");
    expect(rows[0].n).toBe(new Set(exporter.sent).size);
  });
});
