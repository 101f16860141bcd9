import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceSpansQuery } from "../../services/api/queries/trace-tree.js";
import { type TraceListFilters, traceListQuery } from "../../services/api/queries/traces.js";
import { READ_SETTINGS, buildApi } from "../../services/api/app.js";
import { CompressedHistory } from "../../services/api/compressed-history.js";
import { type RunQuery, listTraces, summarizeTraces } from "../../services/api/trace-rounds.js";
import { createApiKey } from "../../services/core/api-keys.js";
import { createPool } from "../../services/core/db.js";
import { TIMESCALEDB_ADMIN_URL, migratedDatabase, silentLog, type TestDatabase } from "../support/database.js";
import { apiConfig, deleteRedisKeys, get } from "./support/api-harness.js";
import { type PlanNode, day, explain, insertTraces, now } from "./support/query-plans.js";

/** Rows that plan nodes over compressed chunks produced or filtered, times their loops. */
function rowsDecompressed(node: PlanNode): number {
  const own = node["Node Type"] === "Custom Scan" && /compress|columnar/i.test(JSON.stringify({ ...node, Plans: undefined }))
    ? (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0)) * node["Actual Loops"]
    : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsDecompressed(child), 0);
}

/** The chunks a plan read (scans that ran), compressed or not. */
function chunksRead(node: PlanNode, into = new Set<string>()): Set<string> {
  const name = node["Relation Name"];
  if (name && /^_hyper_\d+_\d+_chunk$/.test(name) && node["Actual Loops"] > 0) into.add(name);
  for (const child of node.Plans ?? []) chunksRead(child, into);
  return into;
}

describe("trace list and tree over compressed history (TimescaleDB)", () => {
  let db: TestDatabase;
  let client: pg.Client;
  const DAYS = 3;
  const PER_DAY = 20_000;

  beforeAll(async () => {
    db = await migratedDatabase("obs_plan_tsdb", TIMESCALEDB_ADMIN_URL);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("INSERT INTO projects (id, name) VALUES ('hist', 'hist')");
    // Three days of one-span traces 3 to 6 days back, compressed; a day of them up to now, not.
    await client.query(
      `INSERT INTO spans (project_id, trace_id, span_id, name, start_time, end_time, duration_ms)
       SELECT 'hist', lpad(to_hex(g), 32, '0'), lpad(to_hex(g), 16, '0'), 'old',
              $1::timestamptz - interval '3 days' - g * ($2::float8 / $3 * interval '1 day'), $1::timestamptz - interval '3 days', 1
       FROM generate_series(1, $3::int) g`,
      [now, DAYS, DAYS * PER_DAY],
    );
    await insertTraces(client, "hist", 2_000, 10);
    await client.query("SELECT compress_chunk(c) FROM show_chunks('spans', older_than => $1::timestamptz - interval '2 days') c", [now]);
    await client.query("ANALYZE spans");
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("holds compressed history", async () => {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'spans' AND is_compressed");
    expect(rows[0].n).toBeGreaterThanOrEqual(DAYS);
  });

  it("lists the last day without decompressing the history", async () => {
    const { plan } = await explain(client, traceListQuery({ projectId: "hist", ...day, limit: 51 }));
    // The lookups without a time bound decompressed the whole history for each of the 51 roots.
    expect(rowsDecompressed(plan)).toBe(0);
  });

  it("lists inside the compressed days decompressing about a batch per listed trace", async () => {
    const range = { from: new Date(now.getTime() - 5 * 86_400_000), to: new Date(now.getTime() - 4 * 86_400_000) };
    const q = traceListQuery({ projectId: "hist", ...range, limit: 51 });
    expect((await client.query(q.text, q.values)).rows).toHaveLength(51);
    const { plan } = await explain(client, q);
    // 51 roots, two lookups each, a batch (1,000 rows) or two apiece; the whole history is 60,000 rows per root.
    expect(rowsDecompressed(plan)).toBeLessThan(51 * 2 * 2 * 1_000 + DAYS * PER_DAY);
  });

  const compressedDay = { from: new Date(now.getTime() - 5 * 86_400_000), to: new Date(now.getTime() - 4 * 86_400_000) };

  /** Runs each query and adds up the rows its plan decompressed. */
  function counting(): { run: RunQuery; decompressed: () => number } {
    let rows = 0;
    return {
      run: async (q) => {
        rows += rowsDecompressed((await explain(client, q)).plan);
        return client.query(q);
      },
      decompressed: () => rows,
    };
  }

  it("knows where compressed history ends", async () => {
    const pool = createPool(db.url, { max: 1, applicationName: "history-test" });
    try {
      const history = new CompressedHistory(pool, 60_000);
      expect(await history.compressedAt(compressedDay.to)).toBe(true);
      expect(await history.compressedAt(now)).toBe(false);
    } finally {
      await pool.end();
    }
  });

  it("lists a compressed day reading each batch about once, not once per listed trace", async () => {
    const f: TraceListFilters = { projectId: "hist", ...compressedDay, limit: 51 };
    const walk = counting();
    const walked = await listTraces(walk.run, { compressedAt: async () => false }, f);
    const rounds = counting();
    expect(await listTraces(rounds.run, { compressedAt: async () => true }, f)).toEqual(walked);
    // The walk decompresses a batch (1,000 rows) or two for each of the 51 traces, twice; the round
    // each batch of the three days around them at most once (those their bloom filters let through).
    expect(walk.decompressed()).toBeGreaterThan(2 * 51 * 1_000);
    expect(rounds.decompressed()).toBeLessThanOrEqual(DAYS * PER_DAY);
    expect(rounds.decompressed()).toBeLessThan(walk.decompressed() / 2);
  });

  it("reads a filter that refuses every trace of a compressed day in a few passes over it", async () => {
    const { run, decompressed } = counting();
    const f = { projectId: "hist", ...compressedDay, status: "error" as const };
    expect(await listTraces(run, { compressedAt: async () => true }, { ...f, limit: 51 })).toEqual([]);
    // The walk looked up each of the day's 20,000 roots twice, a batch each: 40 million rows.
    expect(decompressed()).toBeLessThan(20 * DAYS * PER_DAY);
    expect((await summarizeTraces(run, { compressedAt: async () => true }, f, 10_000)).traces).toBe(0);
  });

  it("answers the API's list and totals of a compressed day in rounds", async () => {
    const prefix = `obs:test:compressed:${process.pid}:`;
    const app = await buildApi(apiConfig(db.url, prefix), { log: silentLog });
    const pool = createPool(db.url, { max: 1, applicationName: "api-rounds-test" });
    try {
      const { key } = await createApiKey(pool, "hist", "read", ["read"]);
      await pool.query("SELECT pg_stat_statements_reset()");
      const range = `from=${compressedDay.from.toISOString()}&to=${compressedDay.to.toISOString()}`;
      const list = await get(app, `/api/v1/traces?${range}&limit=50`, key);
      expect(list.status).toBe(200);
      const walked = await client.query(traceListQuery({ projectId: "hist", ...compressedDay, limit: 50 }));
      expect(list.body.traces).toEqual(walked.rows.map(({ start_us, ...row }) => row));
      const totals = await get(app, `/api/v1/traces/summary?${range}`, key);
      expect(totals.body).toMatchObject({ traces: 10_000, capped: true });
      const { rows } = await pool.query("SELECT sum(calls)::int AS calls FROM pg_stat_statements WHERE query LIKE '%WITH candidates AS MATERIALIZED%'");
      expect(rows[0].calls).toBeGreaterThanOrEqual(2);
    } finally {
      await app.close();
      await pool.end();
      await deleteRedisKeys(prefix);
    }
  });

  const oldest = (DAYS * PER_DAY).toString(16).padStart(32, "0");
  const oldestStart = now.getTime() - (3 + DAYS) * 86_400_000;

  it("lists the same traces through the API's read settings, which probe each chunk instead of excluding chunks per lookup", async () => {
    const reads = createPool(db.url, { max: 1, applicationName: "read-settings-test", settings: READ_SETTINGS });
    try {
      expect((await reads.query("SELECT current_setting($1) AS v", ["timescaledb.enable_runtime_exclusion"])).rows[0].v).toBe("off");
      const range = { from: new Date(now.getTime() - 6 * 86_400_000), to: now };
      const q = traceListQuery({ projectId: "hist", ...range, limit: 51 });
      expect((await reads.query(q.text, q.values)).rows).toEqual((await client.query(q.text, q.values)).rows);
      const { rows } = await reads.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.text}`, q.values);
      expect(JSON.stringify(rows[0])).not.toContain("Chunks excluded during runtime");
    } finally {
      await reads.end();
    }
  });

  it("reads a trace tree from compressed history through the bloom filters, not every batch", async () => {
    const { plan } = await explain(client, traceSpansQuery("hist", oldest));
    expect(rowsDecompressed(plan)).toBeLessThan(5_000);
  });

  it("reads a trace tree within the window the list gives only from the chunks around it", async () => {
    const everywhere = await explain(client, traceSpansQuery("hist", oldest));
    expect(chunksRead(everywhere.plan).size).toBeGreaterThanOrEqual(DAYS + 1);
    const window = { from: new Date(oldestStart - 1), to: new Date(oldestStart + 86_400_000) };
    const around = await explain(client, traceSpansQuery("hist", oldest, window));
    expect(around.plan["Actual Rows"]).toBe(1);
    expect(chunksRead(around.plan).size).toBeLessThanOrEqual(2);
  });
});
