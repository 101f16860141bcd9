import { describe, expect, it } from "vitest";
import pg from "pg";
import { BackpressureError, IngestPipeline, type PipelineHooks } from "../../services/core/pipeline.js";
import type { PriceBook } from "../../services/core/pricing.js";
import type { RawSpan, SpanRow } from "../../services/core/span.js";
import type { SpanWriter, WriteResult } from "../../services/core/span-writer.js";
import { silentLog } from "../support/database.js";

let seq = 0;
function raw(model = "m"): RawSpan {
  seq++;
  return {
    traceId: seq.toString(16).padStart(32, "c"),
    spanId: seq.toString(16).padStart(16, "d"),
    name: "s",
    kind: 0,
    startTimeUnixNano: "1700000000000000000",
    endTimeUnixNano: "1700000000100000000",
    statusCode: 0,
    attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": model, "gen_ai.usage.input_tokens": 1 },
    resourceAttributes: {},
    events: [],
  };
}

/** A writer whose next outcomes the test scripts: "ok", a transient failure, or a permanent one. */
class ScriptedWriter {
  readonly stored: SpanRow[] = [];
  readonly script: Array<"down" | "bad"> = [];
  gate: Promise<void> = Promise.resolve();
  async write(rows: SpanRow[]): Promise<WriteResult> {
    await this.gate;
    const next = this.script.shift();
    if (next === "down") throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    if (next === "bad" || rows.some((r) => r.requestModel === "poison")) throw new pg.DatabaseError("value too long", 0, "error");
    this.stored.push(...rows);
    return { inserted: rows.length, groups: [] };
  }
}

const prices = { ensureFresh: async () => undefined, price: (r: SpanRow) => (r.requestModel === "unknown" ? "unknown" : "priced") } as unknown as PriceBook;

function pipeline(writer: ScriptedWriter, over: { capacitySpans?: number; hooks?: PipelineHooks } = {}) {
  return new IngestPipeline({
    writer: writer as unknown as SpanWriter,
    prices,
    capacitySpans: over.capacitySpans ?? 100,
    batchMaxSpans: 50,
    batchMaxWaitMs: 5,
    writers: 2,
    log: silentLog,
    retryBaseMs: 10,
    retryMaxMs: 40,
    ...(over.hooks ? { hooks: over.hooks } : {}),
  });
}

describe("IngestPipeline", () => {
  it("resolves a submit only after its spans are written", async () => {
    const writer = new ScriptedWriter();
    let open!: () => void;
    writer.gate = new Promise((r) => (open = r));
    const p = pipeline(writer);
    let done = false;
    const submitted = p.submit("acme", [raw(), raw()]).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    open();
    expect(await submitted).toEqual({ accepted: 2, rejected: 0 });
    expect(writer.stored).toHaveLength(2);
  });

  it("refuses with BackpressureError when the queue is full", async () => {
    const writer = new ScriptedWriter();
    let open!: () => void;
    writer.gate = new Promise((r) => (open = r));
    const p = pipeline(writer, { capacitySpans: 3 });
    const first = p.submit("acme", [raw(), raw(), raw()]);
    const refused = await p.submit("acme", [raw()]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackpressureError);
    expect(refused).toMatchObject({ reason: "queue_full", retryAfterSeconds: 1 });
    open();
    await first;
    await p.close();
  });

  it("keeps a batch through database failures, refuses new submits meanwhile, and counts unknown models once", async () => {
    const writer = new ScriptedWriter();
    writer.script.push("down", "down", "down");
    const unknown: string[] = [];
    const p = pipeline(writer, { hooks: { unknownModel: (provider) => unknown.push(provider) } });
    const held = p.submit("acme", [raw("unknown"), raw()]);
    await expect.poll(() => p.saturated).toBe(true);
    await expect(p.submit("acme", [raw()])).rejects.toMatchObject({ reason: "database_unavailable" });
    expect(await held).toEqual({ accepted: 2, rejected: 0 });
    expect(writer.stored).toHaveLength(2);
    expect(unknown).toEqual(["openai"]);
  });

  it("fails only the submit whose spans cannot be stored", async () => {
    const writer = new ScriptedWriter();
    let open!: () => void;
    writer.gate = new Promise((r) => (open = r));
    const p = pipeline(writer);
    const blocker = p.submit("acme", [raw()]);
    const good = p.submit("acme", [raw()]);
    const poison = p.submit("acme", [raw("poison")]).catch((e: unknown) => e);
    open();
    await blocker;
    await good;
    expect(await poison).toBeInstanceOf(pg.DatabaseError);
    expect(writer.stored.map((r) => r.requestModel)).toEqual(["m", "m"]);
  });

  it("reports spans it cannot normalize and drains on close", async () => {
    const writer = new ScriptedWriter();
    const p = pipeline(writer);
    const result = await p.submit("acme", [raw(), { ...raw(), spanId: "xyz" }]);
    expect(result).toEqual({ accepted: 1, rejected: 1, errorMessage: "1 span(s): span id must be 8 non-zero bytes", errors: [{ index: 1, message: "span id must be 8 non-zero bytes" }] });
    const pending = p.submit("acme", [raw(), raw()]);
    await p.close();
    await pending;
    expect(writer.stored).toHaveLength(3);
    await expect(p.submit("acme", [raw()])).rejects.toMatchObject({ reason: "closing" });
  });
});
