import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, startObservatory, stopObservatory as stop } from "../support/observatory.js";

const run = promisify(execFile);

async function traces(r: Running): Promise<{ trace_id: string; root_name: string; span_count: number }[]> {
  const res = await fetch(`${r.apiUrl}/api/v1/traces?limit=100`, { headers: { "x-api-key": r.key, "cache-control": "no-cache" } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { traces: { trace_id: string; root_name: string; span_count: number }[] }).traces;
}

describe("npm start on a fresh folder", () => {
  let dataDir: string;
  let observatory: Running;
  const exported: string[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "obs-start-"));
    observatory = await startObservatory(dataDir);
  }, 120_000);
  afterAll(async () => {
    await stop(observatory);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("prints endpoints and a local key that it keeps in the data folder only", async () => {
    expect(observatory.output()).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf/);
    expect((await readFile(join(dataDir, "local-api-key"), "utf8")).trim()).toBe(observatory.key);
  });

  it("takes spans from the official OTLP exporter and serves them through the API", async () => {
    const exporter = new OTLPTraceExporter({ url: `${observatory.otlpHttpUrl}/v1/traces`, headers: { "x-api-key": observatory.key } });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ "service.name": "start-test" }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer("start-test");
    for (let i = 0; i < 3; i++) {
      const span = tracer.startSpan(`chat gpt-4o-mini #${i}`, {
        attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini", "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20 },
      });
      exported.push(span.spanContext().traceId);
      span.end();
    }
    await provider.forceFlush();
    await provider.shutdown();
    const listed = await traces(observatory);
    expect(listed.map((t) => t.trace_id).sort()).toEqual([...exported].sort());
  });

  it("passes the end-to-end and health-check scripts", async () => {
    const env = { ...process.env, OBSERVATORY_API_URL: observatory.apiUrl, OBSERVATORY_OTLP_HTTP_URL: observatory.otlpHttpUrl, OBSERVATORY_API_KEY: observatory.key };
    const { stdout } = await run("bash", ["scripts/e2e-test.sh"], { env });
    expect(stdout.trim().split("\n")).toEqual([
      "ok   health",
      "ok   native span accepted (200)",
      "ok   OTLP span accepted",
      "ok   native span read back",
      "ok   OTLP span read back",
      "PASS",
    ]);
  });

  it("drains and exits cleanly on Ctrl-C, and keeps the data across a restart", async () => {
    expect(await stop(observatory)).toBe(0);
    const env = { ...process.env, OBSERVATORY_API_URL: observatory.apiUrl, OBSERVATORY_OTLP_HTTP_URL: observatory.otlpHttpUrl };
    const down = await run("bash", ["scripts/health-check.sh"], { env }).catch((e: { code: number; stdout: string }) => e);
    expect(down).toMatchObject({ code: 1 });
    expect((down as { stdout: string }).stdout).toMatch(/^UNHEALTHY api {2}http/m);

    observatory = await startObservatory(dataDir);
    const again = await traces(observatory);
    expect(again.length).toBe(exported.length + 2);
    expect(again.map((t) => t.trace_id)).toEqual(expect.arrayContaining(exported));
  }, 120_000);
});
