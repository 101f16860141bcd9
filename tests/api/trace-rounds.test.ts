import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompressedHistory, type History } from "../../services/api/compressed-history.js";
import type { TraceListFilters } from "../../services/api/queries/traces.js";
import { type RunQuery, listTraces, summarizeTraces } from "../../services/api/trace-rounds.js";
import { createPool } from "../../services/core/db.js";
import { migratedDatabase, type TestDatabase } from "../support/database.js";

/**
 * The trace list read in rounds (as over compressed history) answers exactly what the walk answers
 * (as over uncompressed history), page by page and in the summary, whatever the filter; small pages
 * and rare filters make the rounds run several times.
 */
const walk: History = { compressedAt: async () => false };
const inRounds: History = { compressedAt: async () => true };

const now = new Date();
const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
const range = { from: new Date(now.getTime() - 2 * 86_400_000), to: new Date(now.getTime() + 60_000) };
const id = (c: string) => c.repeat(32);
const spanId = (n: number) => n.toString(16).padStart(16, "0");

describe("trace list in rounds", () => {
  let db: TestDatabase;
  let client: pg.Client;
  let rounds = 0;
  const run: RunQuery = (q) => {
    if (q.text.includes("progress")) rounds++;
    return client.query(q);
  };

  beforeAll(async () => {
    db = await migratedDatabase("obs_rounds");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("INSERT INTO projects (id, name) VALUES ('r', 'r'), ('other', 'other')");
    // 400 traces of one to three spans, every four minutes back from now, in both projects.
    await client.query(
      `INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, service_name, start_time, end_time, duration_ms,
                          status_code, provider, response_model, input_tokens, output_tokens, cost_usd, user_id)
       SELECT p, lpad(to_hex(g), 32, '0'), lpad(to_hex(g * 16 + k), 16, '0'),
              CASE WHEN k > 0 THEN lpad(to_hex(g * 16), 16, '0') END, CASE WHEN k = 0 THEN 'request ' || g % 5 ELSE 'llm' END,
              'svc-' || g % 3, $1::timestamptz - g * interval '4 minutes' + k * interval '1 second',
              $1::timestamptz - g * interval '4 minutes' + (k + g % 9) * interval '1 second', (g % 9) * 1000,
              CASE WHEN k = 1 AND g % 17 = 0 THEN 2 ELSE 1 END,
              CASE WHEN k = 1 THEN (ARRAY['openai', 'anthropic'])[g % 2 + 1] END,
              CASE WHEN k = 1 THEN (ARRAY['gpt-4o', 'claude', 'gpt-4o-mini'])[g % 3 + 1] END,
              CASE WHEN k = 1 THEN 100 + g END, CASE WHEN k = 1 THEN 10 + g % 50 END,
              CASE WHEN k = 1 THEN (g % 13) * 0.001 END, 'u' || g % 4
       FROM unnest(ARRAY['r', 'other']) p, generate_series(1, 400) g, generate_series(0, g % 3) k`,
      [now],
    );
    const span = (trace: string, n: number, parent: number | null, hours: number) =>
      client.query(
        `INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, start_time, end_time, duration_ms, status_code)
         VALUES ('r', $1, $2, $3, 'multi', $4, $4::timestamptz + interval '1 second', 1000, $5)`,
        [id(trace), spanId(n), parent === null ? null : spanId(parent), at(hours), n === 9 ? 2 : 1],
      );
    // Three roots within a day: listed once, under the earliest.
    for (const [n, hours] of [[1, -1], [2, -1.5], [3, -1.75]] as const) await span("a", n, null, hours);
    await span("a", 4, 1, -0.9);
    // Two roots 30 hours apart: listed under each, each with the spans within a day of it.
    await span("b", 1, null, -2);
    await span("b", 2, null, -32);
    await span("b", 9, 2, -31);
    // An earlier root before the range (within a day): the root in range is not the first, not listed.
    await span("c", 1, null, -40);
    await span("c", 2, null, -50);
    // A span more than a day after its root is not counted.
    await span("d", 1, null, -5);
    await span("d", 2, 1, 21);
    await client.query("ANALYZE spans");
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const filters: Array<Partial<TraceListFilters>> = [
    {},
    { status: "error" },
    { status: "ok" },
    { model: "gpt-4o" },
    { provider: "openai", model: "gpt-4o-mini" },
    { minDurationMs: 7000 },
    { maxDurationMs: 2000, minCostUsd: 0.006 },
    { service: "svc-1" },
    { name: "multi" },
    { user_id: "u1", model: "claude" },
  ];

  /** Every page of the list, following the cursor of the last row shown, as the API does. */
  async function pages(history: History, f: Partial<TraceListFilters>, size: number): Promise<pg.QueryResultRow[][]> {
    const all: pg.QueryResultRow[][] = [];
    let after: TraceListFilters["after"];
    for (;;) {
      const rows = await listTraces(run, history, { projectId: "r", ...range, ...f, ...(after ? { after } : {}), limit: size + 1 });
      all.push(rows.slice(0, size));
      if (rows.length <= size) return all;
      after = { startUs: rows[size - 1]!.start_us, traceId: rows[size - 1]!.trace_id };
    }
  }

  it("lists every page of every filter as the walk does", async () => {
    for (const f of filters) {
      for (const size of [1, 7, 50]) {
        const expected = await pages(walk, f, size);
        expect(await pages(inRounds, f, size), `${JSON.stringify(f)}, pages of ${size}`).toEqual(expected);
      }
    }
  });

  it("takes more rounds while a rare filter leaves the page short", async () => {
    rounds = 0;
    const rows = await listTraces(run, inRounds, { projectId: "r", ...range, status: "error", limit: 3 });
    expect(rows).toHaveLength(3);
    expect(rounds).toBeGreaterThan(1);
  });

  it("lists the traces of several roots as the walk does: once within a day, under each root beyond it", async () => {
    const rows = (await pages(inRounds, { name: "multi" }, 50))[0]!;
    expect(rows.map((r) => [r.trace_id[0], r.root_span_id, r.span_count])).toEqual([
      ["a", spanId(3), 4],
      ["b", spanId(1), 1],
      ["d", spanId(1), 1],
      ["b", spanId(2), 2],
    ]);
  });

  it("sums the newest traces of every filter as the walk does, capped alike", async () => {
    for (const f of filters) {
      for (const cap of [1, 9, 10_000]) {
        const expected = await summarizeTraces(run, walk, { projectId: "r", ...range, ...f }, cap);
        const got = await summarizeTraces(run, inRounds, { projectId: "r", ...range, ...f }, cap);
        const label = `${JSON.stringify(f)}, cap ${cap}`;
        expect({ ...got, cost_usd: undefined }, label).toEqual({ ...expected, cost_usd: undefined });
        expect(got.cost_usd, label).toBeCloseTo(expected.cost_usd, 9);
      }
    }
  });

  it("finds no compressed history where nothing is compressed (plain PostgreSQL has no TimescaleDB views)", async () => {
    const pool = createPool(db.url, { max: 1, applicationName: "history-test" });
    try {
      expect(await new CompressedHistory(pool, 60_000).compressedAt(new Date(0))).toBe(false);
    } finally {
      await pool.end();
    }
  });

  it("reads where compressed history ends again after a failed read, instead of keeping the failure", async () => {
    const answers = [
      () => Promise.reject(Object.assign(new Error("terminating connection"), { code: "57P01" })),
      () => Promise.resolve({ rows: [{ end: now }] }),
    ];
    const pool = { query: () => answers.shift()!() } as unknown as pg.Pool;
    const history = new CompressedHistory(pool, 60_000);
    expect(await history.compressedAt(new Date(0))).toBe(false);
    expect(await history.compressedAt(new Date(0))).toBe(true);
  });
});
