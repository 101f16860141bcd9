import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import { gzipSync } from "node:zlib";
import * as grpc from "@grpc/grpc-js";
import { DecodeError, decodeJson, decodeProtobuf, toRawSpans } from "../../services/collector/otlp-decode.js";
import { startTestCollector, type CollectorUnderTest } from "./support/collector.js";
import { jsonBody, protobufBody } from "./support/otlp-bodies.js";

const PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
const PER_PROTOCOL = { protobuf: 4_000, json: 3_000, grpc: 3_000 };

let c: CollectorUnderTest;
beforeAll(async () => {
  c = await startTestCollector({ COLLECTOR_MAX_BODY_BYTES: "65536" });
});
afterAll(async () => c?.stop());

/** mulberry32: a seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mangle(valid: Buffer, random: () => number): Buffer {
  const int = (n: number) => Math.floor(random() * n);
  switch (int(4)) {
    case 0:
      return Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256)));
    case 1:
      return valid.subarray(0, int(valid.length));
    case 2: {
      const copy = Buffer.from(valid);
      for (let i = 0; i < 1 + int(8); i++) copy[int(copy.length)] = int(256);
      return copy;
    }
    default:
      return Buffer.concat([valid.subarray(0, int(valid.length)), Buffer.from(Array.from({ length: int(40) }, () => int(256)))]);
  }
}

const JSON_SHAPES = ['{"resourceSpans":5}', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":123}]}]}]}', "[]", "null", '"x"', `${"[".repeat(5000)}`, '{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"intValue":"1e999"}}]}]}]}]}'];

/** The collector's own decoder says whether a body is a valid request (then 200 is right). */
function validBody(body: Buffer, json: boolean): boolean {
  try {
    toRawSpans(json ? decodeJson(body) : decodeProtobuf(body));
    return true;
  } catch (err) {
    if (err instanceof DecodeError) return false;
    throw err;
  }
}

function postRaw(agent: http.Agent, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: "127.0.0.1", port: c.collector.httpPort, method: "POST", path: "/v1/traces", headers: { ...headers, "x-api-key": c.key } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function inParallel<T>(items: T[], workers: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

describe("fuzzing both protocols", () => {
  it(`survives ${PER_PROTOCOL.protobuf + PER_PROTOCOL.json + PER_PROTOCOL.grpc} random, truncated and mangled bodies with 200 or 400 / INVALID_ARGUMENT only`, async () => {
    const random = rng(20_240_601);
    const validProto = protobufBody([{ attributes: { "gen_ai.request.model": "m", "gen_ai.usage.input_tokens": 3 } }, {}]);
    const validJson = jsonBody([{ attributes: { "gen_ai.provider.name": "openai" } }]);
    const statuses = new Map<string, number>();
    const tally = (k: string) => statuses.set(k, (statuses.get(k) ?? 0) + 1);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

    const httpCases = [
      ...Array.from({ length: PER_PROTOCOL.protobuf }, () => ({ json: false, body: mangle(validProto, random), gzip: random() < 0.2 })),
      ...Array.from({ length: PER_PROTOCOL.json }, (_, i) => ({
        json: true,
        body: i % 10 === 0 ? Buffer.from(JSON_SHAPES[i % JSON_SHAPES.length]!) : mangle(validJson, random),
        gzip: random() < 0.2,
      })),
    ];
    await inParallel(httpCases, 8, async ({ json, body, gzip }) => {
      // A gzip stream cut short is an undecodable body too.
      const wire = gzip ? gzipSync(body).subarray(0, random() < 0.5 ? undefined : 10) : body;
      const status = await postRaw(agent, wire, { "content-type": json ? "application/json" : "application/x-protobuf", ...(gzip ? { "content-encoding": "gzip" } : {}) });
      const expected = (gzip && wire.length === 10) || !validBody(body, json) ? 400 : 200;
      tally(`${json ? "json" : "protobuf"} ${status}`);
      if (status !== expected) expect.fail(`HTTP ${status}, expected ${expected}, for ${json ? "JSON" : "protobuf"} body ${body.toString("base64")}`);
    });
    agent.destroy();

    const client = new grpc.Client(`127.0.0.1:${c.collector.grpcPort}`, grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set("x-api-key", c.key);
    const grpcCases = Array.from({ length: PER_PROTOCOL.grpc }, () => mangle(validProto, random));
    await inParallel(grpcCases, 8, async (body) => {
      const code = await new Promise<number>((resolve) =>
        client.makeUnaryRequest(PATH, (b: Buffer) => b, (b: Buffer) => b, body, metadata, (err) => resolve(err ? err.code : grpc.status.OK)),
      );
      const expected = validBody(body, false) ? grpc.status.OK : grpc.status.INVALID_ARGUMENT;
      tally(`grpc ${grpc.status[code]}`);
      if (code !== expected) expect.fail(`gRPC ${grpc.status[code]}, expected ${grpc.status[expected]}, for body ${body.toString("base64")}`);
    });
    client.close();

    // Most mangled bodies are refused; the collector is still up and ready afterwards.
    const refused = [...statuses].filter(([k]) => / (400|INVALID_ARGUMENT)$/.test(k)).reduce((n, [, v]) => n + v, 0);
    expect(refused).toBeGreaterThan(5_000);
    expect((await fetch(`${c.httpUrl}/ready`)).status).toBe(200);
  });
});
