import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { normalizeSpan } from "../../services/core/normalization.js";
import type { SpanRow } from "../../services/core/span.js";
import { SpanWriter } from "../../services/core/span-writer.js";
import { migratedDatabase, type TestDatabase } from "../support/database.js";

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await migratedDatabase("obs_writer");
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

let seq = 0;
/** A span of `model` starting at `minute` past 2025-03-01 10:00 UTC, lasting `ms`. */
function span(model: string, minute: number, ms: number, extra: Partial<SpanRow> = {}): SpanRow {
  seq++;
  const start = BigInt(Date.UTC(2025, 2, 1, 10, minute)) * 1_000_000n;
  const n = normalizeSpan("acme", {
    traceId: seq.toString(16).padStart(32, "a"),
    spanId: seq.toString(16).padStart(16, "b"),
    name: "chat",
    kind: 3,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(ms) * 1_000_000n).toString(),
    statusCode: 0,
    attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": model, "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 10 },
    resourceAttributes: { "service.name": "svc" },
    events: [],
  });
  if (!n.ok) throw new Error(n.message);
  return Object.assign(n.row, extra);
}

async function rollup(table: string, model: string) {
  const { rows } = await pool.query(
    `SELECT bucket, environment, requests::int, errors::int, input_tokens::int, cost_usd::text, duration_ms_sum, duration_ms_max, latency_histogram::int[] AS hist
     FROM ${table} WHERE model = $1 ORDER BY bucket`,
    [model],
  );
  return rows;
}

// Both ways of sending a batch: COPY into a staging table (default) and one jsonb statement.
describe.each(["copy", "insert"] as const)("SpanWriter (%s)", (mode) => {
  let writer: SpanWriter;
  beforeAll(() => {
    writer = new SpanWriter(pool, { mode });
  });
  /** Model names of their own per mode, since both share one database. */
  const m = (name: string) => `${mode}-${name}`;

  it("stores rows with every column and keeps rollups per minute and hour", async () => {
    const rows = [span(m("m1"), 1, 3, { costUsd: "0.001" }), span(m("m1"), 1, 700, { statusCode: 2, costUsd: "0.002" }), span(m("m1"), 2, 40_000)];
    const result = await writer.write(rows);
    expect(result.inserted).toBe(3);
    expect(result.groups).toEqual([{ provider: "openai", model: m("m1"), spans: 3, costUsd: 0.003 }]);
    const { rows: stored } = await pool.query("SELECT span_id, provider, request_model, input_tokens, total_tokens, service_name, attributes->>'gen_ai.request.model' AS raw_model FROM spans WHERE span_id = $1", [rows[0]!.spanId]);
    expect(stored[0]).toMatchObject({ provider: "openai", request_model: m("m1"), input_tokens: 100, total_tokens: 110, service_name: "svc", raw_model: m("m1") });

    const minutes = await rollup("span_rollups_1m", m("m1"));
    expect(minutes.map((m) => [m.bucket.toISOString(), m.requests, m.errors, m.cost_usd])).toEqual([
      ["2025-03-01T10:01:00.000Z", 2, 1, "0.003000000000"],
      ["2025-03-01T10:02:00.000Z", 1, 0, "0.000000000000"],
    ]);
    // Slots: 3 ms → 1 (≤5), 700 ms → 8 (≤1000), 40 s → 13 (≤60 s); 15 slots in all.
    expect(minutes[0]!.hist).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(minutes[1]!.hist[12]).toBe(1);
    const hours = await rollup("span_rollups_1h", m("m1"));
    expect(hours).toHaveLength(1);
    expect(hours[0]).toMatchObject({ environment: "", requests: 3, errors: 1, input_tokens: 300, duration_ms_sum: 40_703, duration_ms_max: 40_000 });
  });

  it("stores microseconds, and recognises a row another path stored with microseconds as the same span", async () => {
    const s = span("gpt-4o", 40, 1);
    const micros = (at: string, plus: number) => at.replace(/\.\d{6}Z$/, `.${String(plus).padStart(6, "0")}Z`);
    s.startTime = micros(s.startTime, 123_456);
    s.endTime = micros(s.endTime, 123_999);
    // A restore from another tool or a backfill wrote this span before the collector saw it.
    await pool.query(
      "INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms) VALUES ($1, $2, $3, 'backfill', $4, $5, 0.543)",
      [s.projectId, s.traceId, s.spanId, s.startTime, s.endTime],
    );
    expect((await writer.write([s])).inserted).toBe(0);
    const { rows } = await pool.query("SELECT extract(microseconds FROM start_time)::int % 1000000 AS us FROM spans WHERE span_id = $1", [s.spanId]);
    expect(rows).toEqual([{ us: 123_456 }]);
  });

  it("stores a repeated batch once and counts only new spans in rollups", async () => {
    const rows = [span(m("m2"), 5, 10), span(m("m2"), 5, 20)];
    expect((await writer.write(rows)).inserted).toBe(2);
    const again = await writer.write([...rows, span(m("m2"), 5, 30)]);
    expect(again.inserted).toBe(1);
    const { rows: count } = await pool.query("SELECT count(*)::int AS n FROM spans WHERE request_model = $1", [m("m2")]);
    expect(count[0].n).toBe(3);
    expect((await rollup("span_rollups_1m", m("m2")))[0]).toMatchObject({ requests: 3, duration_ms_sum: 60 });
    expect((await rollup("span_rollups_1h", m("m2")))[0]).toMatchObject({ requests: 3 });
  });

  it("lets concurrent writers of overlapping batches finish without deadlock or double counting", async () => {
    const models = ["c1", "c2", "c3", "c4"].map(m);
    const rows = Array.from({ length: 400 }, (_, i) => span(models[i % 4]!, i % 7, 5));
    const shuffled = (seed: number) => [...rows].sort((a, b) => ((a.spanId.charCodeAt(15) * seed) % 17) - ((b.spanId.charCodeAt(15) * seed) % 17));
    const results = await Promise.all([1, 3, 5, 7].map((seed) => writer.write(shuffled(seed))));
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(400);
    const { rows: sums } = await pool.query("SELECT sum(requests)::int AS m FROM span_rollups_1m WHERE model = ANY($1)", [models]);
    const { rows: hourSums } = await pool.query("SELECT sum(requests)::int AS h FROM span_rollups_1h WHERE model = ANY($1)", [models]);
    expect([sums[0].m, hourSums[0].h]).toEqual([400, 400]);
  });

  it("stores text and attributes with tabs, newlines, backslashes and quotes unchanged", async () => {
    const tricky = "a\tb\nc\\d\re \"q\" \\N {x,y}";
    const row = span(m("esc"), 9, 5, { name: tricky, statusMessage: tricky, finishReasons: [tricky, "stop"] });
    row.attributes = { ...row.attributes, note: tricky, nested: { list: [tricky, 1, true, null] } };
    expect((await writer.write([row])).inserted).toBe(1);
    const { rows: stored } = await pool.query("SELECT name, status_message, finish_reasons, attributes FROM spans WHERE span_id = $1", [row.spanId]);
    expect(stored[0]).toEqual({ name: tricky, status_message: tricky, finish_reasons: [tricky, "stop"], attributes: row.attributes });
  });
});
