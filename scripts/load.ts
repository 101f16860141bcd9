/**
 * npm run load -- --rate R --duration D [--batch B] [--url URL] [--key KEY] [--max-in-flight N] [--json]
 *
 * Open-loop load: R OTLP/HTTP protobuf exports per second for D seconds (e.g. 30 or 30s or 2m),
 * each of B realistic GenAI spans with fresh ids, sent on schedule whether or not earlier ones
 * were answered (so a slow collector shows up as latency and backpressure, not as a slower test).
 * Reports sent, accepted, back-pressured (429/503), failed, and latency percentiles.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { exportBody, genaiSpan } from "../bench/genai-spans.js";
import { runIfMain } from "../services/core/run-main.js";

export interface LoadOptions {
  url: string;
  key?: string;
  rate: number;
  durationSeconds: number;
  batch: number;
  maxInFlight: number;
}

export interface LoadReport {
  sent: { exports: number; spans: number };
  accepted: { exports: number; spans: number };
  backPressured: number;
  failed: number;
  /** Exports never sent because maxInFlight were still unanswered (the client, not the server, saturated). */
  skipped: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number } | null;
}

function seconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(text);
  if (!m) throw new Error(`--duration takes seconds, e.g. 30, 30s or 2m (got "${text}")`);
  return Number(m[1]) * (m[2] === "m" ? 60 : 1);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxInFlight });
  const target = new URL("/v1/traces", o.url);
  const report: LoadReport = { sent: { exports: 0, spans: 0 }, accepted: { exports: 0, spans: 0 }, backPressured: 0, failed: 0, skipped: 0, latencyMs: null };
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  let spanIndex = 0;

  const send = (body: Buffer, spans: number): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = request(target, {
        method: "POST",
        agent,
        headers: { "content-type": "application/x-protobuf", ...(o.key ? { "x-api-key": o.key } : {}) },
      }, (res) => {
        res.resume().on("end", () => {
          latencies.push(performance.now() - started);
          if (res.statusCode === 200) {
            report.accepted.exports++;
            report.accepted.spans += spans;
          } else if (res.statusCode === 429 || res.statusCode === 503) report.backPressured++;
          else report.failed++;
          resolve();
        });
      });
      req.on("error", () => (report.failed++, resolve()));
      req.end(body);
    });

  const total = Math.round(o.rate * o.durationSeconds);
  const begin = performance.now();
  for (let n = 0; n < total; n++) {
    // Export n is due at n / rate seconds after the start, however the earlier ones fared.
    const wait = begin + (n * 1000) / o.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (pending.size >= o.maxInFlight) {
      report.skipped++;
      continue;
    }
    const now = BigInt(Date.now()) * 1_000_000n;
    // One trace per export: its first span is the root, the others its children.
    const traceId = randomBytes(16);
    const rootId = randomBytes(8);
    const spans = Array.from({ length: o.batch }, (_, k) =>
      genaiSpan(spanIndex++, now, k === 0 ? { traceId, spanId: rootId } : { traceId, spanId: randomBytes(8), parentSpanId: rootId }),
    );
    const p = send(exportBody(spans, `load-${n % 3}`, "load"), spans.length).finally(() => pending.delete(p));
    pending.add(p);
    report.sent.exports++;
    report.sent.spans += spans.length;
  }
  await Promise.all(pending);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  if (sorted.length > 0) {
    const round = (v: number) => Math.round(v * 10) / 10;
    report.latencyMs = { p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1)!) };
  }
  return report;
}

function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

function positive(text: string | undefined, flag: string, fallback?: number): number {
  if (text === undefined && fallback !== undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
  return n;
}

function defaultKey(): string | undefined {
  const file = `${process.env.OBSERVATORY_DATA_DIR ?? ".data"}/local-api-key`;
  return process.env.OBSERVATORY_API_KEY ?? (existsSync(file) ? readFileSync(file, "utf8").trim() : undefined);
}

async function main(args: string[]): Promise<number> {
  const key = option(args, "--key") ?? defaultKey();
  const report = await runLoad({
    url: option(args, "--url") ?? process.env.OBSERVATORY_OTLP_HTTP_URL ?? "http://127.0.0.1:4318",
    ...(key ? { key } : {}),
    rate: positive(option(args, "--rate"), "--rate"),
    durationSeconds: seconds(option(args, "--duration") ?? "10"),
    batch: Math.floor(positive(option(args, "--batch"), "--batch", 10)),
    maxInFlight: Math.floor(positive(option(args, "--max-in-flight"), "--max-in-flight", 256)),
  });
  if (args.includes("--json")) {
    console.log(JSON.stringify(report));
  } else {
    const l = report.latencyMs;
    console.log(`sent           ${report.sent.exports} exports, ${report.sent.spans} spans`);
    console.log(`accepted       ${report.accepted.exports} exports, ${report.accepted.spans} spans`);
    console.log(`back-pressured ${report.backPressured} exports (429/503)`);
    console.log(`failed         ${report.failed} exports`);
    console.log(`skipped        ${report.skipped} exports (client at --max-in-flight)`);
    console.log(l ? `latency ms     p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  max ${l.max}` : "latency ms     (no answers)");
  }
  return 0;
}

runIfMain(import.meta.url, "load", main);
